import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { appDatabase, baseURL } from './http';
import { PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

type Snap = { type: 'single' | 'multiple' | 'truefalse' | 'fill'; answer: unknown; options: string[] };

function snapshotAt(attemptId: number, position: number): Snap {
	const db = appDatabase();
	const row = db
		.prepare('SELECT snapshot FROM attempt_items WHERE attempt_id = ? AND position = ?')
		.get(attemptId, position) as { snapshot: string };
	db.close();
	return JSON.parse(row.snapshot) as Snap;
}

/** Answers the question on screen: wrongly when asked (the test knows the key from the database, the page does not). */
async function answer(page: Page, attemptId: number, position: number, right: boolean) {
	const s = snapshotAt(attemptId, position);
	const form = page.locator('form.question');
	if (s.type === 'truefalse') {
		await form.getByLabel(right === Boolean(s.answer) ? '正确' : '错误', { exact: true }).check();
	} else if (s.type === 'single') {
		const index = right ? (s.answer as number) : ((s.answer as number) + 1) % s.options.length;
		await form.locator('input[name=choice]').nth(index).check();
	} else if (s.type === 'multiple') {
		const indices = right ? (s.answer as number[]) : [(s.answer as number[])[0]!];
		for (const i of indices) await form.locator('input[name=choice]').nth(i).check();
	} else {
		const blanks = s.answer as string[][];
		for (let i = 0; i < blanks.length; i++)
			await form
				.locator('input[name=blank]')
				.nth(i)
				.fill(right ? blanks[i]![0]! : '不知道');
	}
}

describe('a cadre takes a module quiz on a phone', () => {
	it('takes it, reloads midway without losing answers, finishes, reviews, and clears a question from the wrong-answer book', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'liulin.002', 'Demo#2026');
		await page.goto(`${baseURL()}/quiz`, { waitUntil: 'networkidle' });
		await snapshot(page, 'quiz-tab-phone');
		await page.getByRole('link', { name: /坚持全面依法治国/ }).click();
		await page.getByRole('button', { name: /开始测验|再测一次|继续答题/ }).click();
		await page.waitForFunction(() => /\/quiz\/attempt\/\d+/.test(location.pathname));
		const attemptId = Number(/\/quiz\/attempt\/(\d+)/.exec(page.url())![1]);
		await page.getByText('第 1 / ').waitFor();
		await snapshot(page, 'quiz-question-phone');

		// Question 1 wrong on purpose, question 2 right, then reload.
		await answer(page, attemptId, 1, false);
		await page.getByRole('button', { name: '保存，下一题' }).click();
		await page.getByText('第 2 / ').waitFor();
		await answer(page, attemptId, 2, true);
		await page.locator('input[type=checkbox][name=flag]').check();
		await page.getByRole('button', { name: '保存，下一题' }).click();
		await page.getByText('第 3 / ').waitFor();
		await page.reload({ waitUntil: 'networkidle' });
		// Resumes at the first unanswered question, with the earlier answers saved.
		await page.getByText('第 3 / ').waitFor();
		expect(await page.getByRole('button', { name: '第 1 题，已答' }).count()).toBe(1);
		expect(await page.getByRole('button', { name: '第 2 题，已答，已标记' }).count()).toBe(1);

		const total = Number(/第 3 \/ (\d+) 题/.exec((await page.locator('.progress').textContent()) ?? '')?.[1]);
		for (let p = 3; p <= total; p++) {
			await page.getByText(`第 ${p} / ${total} 题`).waitFor();
			await answer(page, attemptId, p, true);
			await page.getByRole('button', { name: p < total ? '保存，下一题' : '保存，检查交卷' }).click();
		}
		await page.getByRole('heading', { name: '交卷前检查' }).waitFor();
		expect(await page.getByText(`全部 ${total} 题都已作答`).count()).toBe(1);
		await snapshot(page, 'quiz-confirm-phone');
		await page.getByRole('button', { name: '确认交卷' }).click();
		await page.getByRole('heading', { name: '逐题回顾' }).waitFor();
		expect(await page.locator('.big').textContent()).toContain(
			String(Math.round(((total - 1) / total) * 100))
		);
		expect(await page.getByText('正确答案：').count()).toBe(total);
		expect(await page.getByText('解析：').count()).toBe(total);
		expect(await page.locator('a', { hasText: '回到课程《' }).count()).toBe(total);
		await snapshot(page, 'quiz-result-phone');

		await page.goto(`${baseURL()}/quiz/book`, { waitUntil: 'networkidle' });
		const before = await page.locator('.book > li').count();
		expect(before).toBeGreaterThan(0);
		await page.locator('.book > li').first().getByText('移出', { exact: true }).click();
		await page.getByRole('button', { name: '确认移出' }).click();
		await page.getByText('已移出错题本').waitFor();
		expect(await page.locator('.book > li').count()).toBe(before - 1);
		await snapshot(page, 'wrong-book-phone');
		await context.close();
	});

	it('a flag stays on the question it was set on: question 3 starts unflagged and the check lists only question 2', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'liulin.003', 'Demo#2026');
		await page.goto(`${baseURL()}/quiz`, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: /坚持全面依法治国/ }).click();
		await page.getByRole('button', { name: /开始测验|再测一次|继续答题/ }).click();
		await page.waitForFunction(() => /\/quiz\/attempt\/\d+/.test(location.pathname));
		const attemptId = Number(/\/quiz\/attempt\/(\d+)/.exec(page.url())![1]);
		await page.getByText('第 1 / ').waitFor();
		const total = Number(/第 1 \/ (\d+) 题/.exec((await page.locator('.progress').textContent()) ?? '')?.[1]);
		const flag = page.locator('input[type=checkbox][name=flag]');
		for (let p = 1; p <= total; p++) {
			await page.getByText(`第 ${p} / ${total} 题`).waitFor();
			// Each question starts as it was saved: only question 2 is ever ticked (no reload in between).
			expect(await flag.isChecked()).toBe(false);
			await answer(page, attemptId, p, true);
			if (p === 2) await flag.check();
			await page.getByRole('button', { name: p < total ? '保存，下一题' : '保存，检查交卷' }).click();
		}
		await page.getByRole('heading', { name: '交卷前检查' }).waitFor();
		expect(await page.getByText('您标记了第 2 题，').count()).toBe(1);
		const db = appDatabase();
		const flagged = db
			.prepare('SELECT position FROM attempt_items WHERE attempt_id = ? AND flagged = 1')
			.all(attemptId);
		db.close();
		expect(flagged).toEqual([{ position: 2 }]);
		// Back on question 2 the tick is still there; question 3 has none.
		await page.goto(`${baseURL()}/quiz/attempt/${attemptId}?q=2`, { waitUntil: 'networkidle' });
		expect(await flag.isChecked()).toBe(true);
		await page.getByRole('button', { name: '第 3 题，已答' }).click();
		await page.getByText(`第 3 / ${total} 题`).waitFor();
		expect(await flag.isChecked()).toBe(false);
		await context.close();
	});

	it('when time runs out the page hands the quiz in by itself and the result says time ran out', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'liulin.004', 'Demo#2026');
		await page.goto(`${baseURL()}/quiz`, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: /坚持全面依法治国/ }).click();
		await page.getByRole('button', { name: /开始测验|再测一次|继续答题/ }).click();
		await page.waitForFunction(() => /\/quiz\/attempt\/\d+/.test(location.pathname));
		const attemptId = Number(/\/quiz\/attempt\/(\d+)/.exec(page.url())![1]);
		await page.getByText('第 1 / ').waitFor();
		await answer(page, attemptId, 1, true);
		await page.getByRole('button', { name: '保存，下一题' }).click();
		await page.getByText('第 2 / ').waitFor();
		// The deadline passed a few seconds ago (still within the grace the server allows).
		const db = appDatabase();
		db.prepare('UPDATE attempts SET deadline = ? WHERE id = ?').run(Date.now() - 3000, attemptId);
		db.close();
		await page.reload();
		await page.getByRole('heading', { name: '逐题回顾' }).waitFor();
		expect(await page.getByText('答题时间已到，系统已按您保存的答案自动交卷').count()).toBe(1);
		await page.goto(`${baseURL()}/quiz/history`, { waitUntil: 'networkidle' });
		expect(await page.locator(`a[href="/quiz/attempt/${attemptId}/result"]`).textContent()).toContain(
			'时间到自动交卷'
		);
		await context.close();
	});

	it('an answer that could not be saved says so and is retried until it is saved', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'liulin.005', 'Demo#2026');
		await page.goto(`${baseURL()}/quiz`, { waitUntil: 'networkidle' });
		// This cadre's history lists earlier attempts of the same quiz: the quiz's own link.
		await page.locator('a[href^="/quiz/module/"]', { hasText: '坚持全面依法治国' }).click();
		await page.getByRole('button', { name: /开始测验|再测一次|继续答题/ }).click();
		await page.waitForFunction(() => /\/quiz\/attempt\/\d+/.test(location.pathname));
		const attemptId = Number(/\/quiz\/attempt\/(\d+)/.exec(page.url())![1]);
		// A question answered with one click (a blank is saved when it loses focus).
		const db = appDatabase();
		const total = db
			.prepare('SELECT count(*) FROM attempt_items WHERE attempt_id = ?')
			.pluck()
			.get(attemptId) as number;
		db.close();
		let position = 1;
		while (position < total && !['single', 'truefalse'].includes(snapshotAt(attemptId, position).type))
			position++;
		await page.goto(`${baseURL()}/quiz/attempt/${attemptId}?q=${position}`, { waitUntil: 'networkidle' });
		const savedResponse = () => {
			const db = appDatabase();
			const response = db
				.prepare('SELECT response FROM attempt_items WHERE attempt_id = ? AND position = ?')
				.pluck()
				.get(attemptId, position);
			db.close();
			return response;
		};

		// The first save finds no network, the second a server that is down; then saves go through.
		let saves = 0;
		await page.route(
			(url) => url.pathname === `/quiz/attempt/${attemptId}` && url.search === '?/answer',
			async (route) => {
				saves++;
				if (saves === 1) await route.abort('internetdisconnected');
				else if (saves === 2)
					await route.fulfill({ status: 503, contentType: 'text/plain', body: 'unavailable' });
				else await route.continue();
			}
		);
		await answer(page, attemptId, position, true);
		await page.locator('form.question').getByText('未保存，正在重试').waitFor();
		expect(savedResponse()).toBeNull();
		await page.locator('form.question').getByText('已保存', { exact: true }).waitFor({ timeout: 15_000 });
		expect(saves).toBe(3);
		expect(await page.getByText('未保存，正在重试').count()).toBe(0);
		expect(savedResponse()).not.toBeNull();
		// What the page said is what the server kept.
		await page.reload({ waitUntil: 'networkidle' });
		expect(await page.getByRole('button', { name: new RegExp(`^第 ${position} 题，已答`) }).count()).toBe(1);
		await context.close();
	});

	it('reviews a due question from the wrong-answer book: the answer appears only after answering', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'liulin.010', 'Demo#2026');
		await page.goto(`${baseURL()}/quiz/review`, { waitUntil: 'networkidle' });
		expect(await page.getByText('正确答案：').count()).toBe(0);
		await page
			.locator('form input[name=choice], form input[name=tf], form input[name=blank]')
			.first()
			.click();
		const blank = page.locator('form input[name=blank]');
		if (await blank.count()) await blank.first().fill('不知道');
		await page.getByRole('button', { name: '提交答案' }).click();
		await page.getByText('正确答案：').waitFor();
		expect(await page.getByText(/下次复习|移出错题本/).count()).toBeGreaterThan(0);
		await snapshot(page, 'review-phone');
		await context.close();
	});
});
