import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { appDatabase, baseURL, loginCookie, post } from './http';
import { DESKTOP, PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

/** Reads the first event of a live quiz's event stream (what a reconnecting phone receives). */
async function firstEvent(
	liveId: number,
	cookie: string
): Promise<{ phase: string; index: number; question: { stem: string } | null }> {
	const controller = new AbortController();
	const res = await fetch(`${baseURL()}/live/${liveId}/events`, {
		headers: { cookie },
		signal: controller.signal
	});
	expect(res.headers.get('content-type')).toContain('text/event-stream');
	const reader = res.body!.getReader();
	let text = '';
	while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
	controller.abort();
	return JSON.parse(text.slice(text.indexOf('data: ') + 6, text.indexOf('\n\n')));
}

async function answerFirstOption(page: Page) {
	const form = page.locator('form[action="?/answer"]');
	await form.waitFor();
	const tf = form.getByLabel('正确', { exact: true });
	if (await tf.count()) await tf.check();
	else if (await form.locator('input[name=choice]').count())
		await form.locator('input[name=choice]').first().check();
	else await form.locator('input[name=blank]').first().fill('不知道');
	await form.getByRole('button', { name: '提交答案' }).click();
}

/** Whether each option's own text is what the projector shows at its place (not hidden under the result bar). */
function optionTextOnTop(page: Page) {
	return page.locator('.opts li').evaluateAll((items) =>
		items.map((li) => {
			const text = (li as HTMLElement).innerText;
			// Every non-empty text node of the item, checked where it is drawn.
			const walker = document.createTreeWalker(li, NodeFilter.SHOW_TEXT);
			const hidden: string[] = [];
			for (let node = walker.nextNode(); node; node = walker.nextNode()) {
				if (!node.textContent?.trim()) continue;
				const range = document.createRange();
				range.selectNodeContents(node);
				const r = range.getBoundingClientRect();
				const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
				if (r.width === 0 || !hit || !hit.contains(node)) hidden.push(node.textContent.trim());
			}
			return { text, hidden };
		})
	);
}

describe('live quiz in the meeting room', () => {
	it('a host screen and two phones: join with the PIN, answer every question in real time, reveal, rank; a phone reconnects to the current question', async () => {
		const hostCtx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
		const host = await hostCtx.newPage();
		await loginThroughForm(host, baseURL(), 'lishi.admin', 'Demo#2026');
		await host.goto(`${baseURL()}/office/live`, { waitUntil: 'networkidle' });
		await host.getByLabel('题目来源').selectOption({ index: 1 });
		await host.getByLabel('题数').fill('3');
		await host.getByRole('button', { name: '创建并打开主持屏幕' }).click();
		await host.waitForFunction(() => /\/office\/live\/\d+$/.test(location.pathname));
		const liveId = Number(/\/office\/live\/(\d+)/.exec(host.url())![1]);
		const pin = ((await host.locator('.pin strong').textContent()) ?? '').trim();
		expect(pin).toMatch(/^\d{6}$/);

		const phones: Page[] = [];
		for (const username of ['lishi.cadre', 'lishi.006']) {
			const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
			const phone = await ctx.newPage();
			await loginThroughForm(phone, baseURL(), username, 'Demo#2026');
			await phone.goto(`${baseURL()}/live`, { waitUntil: 'networkidle' });
			await phone.getByLabel('屏幕上的 PIN 码').fill(pin);
			await phone.getByRole('button', { name: '加入' }).click();
			await phone.getByText('等待主持人开始').waitFor();
			phones.push(phone);
		}
		// The host screen counts them as they join (Server-Sent Events).
		await host.getByText('已加入 2 人').waitFor();
		// Someone from another office cannot join.
		const outsider = await loginCookie('xiaoyi.004');
		const refused = await fetch(`${baseURL()}/live`, {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie: outsider, origin: baseURL(), 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ pin })
		});
		expect(await refused.text()).toContain('只面向本单位成员');

		await host.getByRole('button', { name: '开始第 1 题' }).click();
		for (let q = 1; q <= 3; q++) {
			await host.getByText(`第 ${q} / 3 题`).first().waitFor();
			for (const [i, phone] of phones.entries()) {
				// Every phone gets the new question to answer, not the last one's "已作答" (no reload).
				await phone.getByText(`第 ${q} / 3 题`).waitFor();
				await answerFirstOption(phone);
				await phone.getByText('已作答').waitFor();
				await host.getByText(`已作答 ${i + 1} / 2 人`).waitFor();
			}
			if (q === 1) await snapshot(host, 'live-host-desktop');
			if (q === 2) {
				// A phone that lost its connection gets the current question when it reconnects.
				const event = await firstEvent(liveId, await loginCookie('lishi.006'));
				expect(event).toMatchObject({ phase: 'question', index: 1 });
				expect(event.question?.stem.length).toBeGreaterThan(0);
				expect(JSON.stringify(event)).not.toMatch(/"answer"|explanation/);
			}
			await host.getByRole('button', { name: '揭晓答案' }).click();
			await host.getByText(/正确答案：/).waitFor();
			for (const phone of phones) await phone.getByText(/正确答案：/).waitFor();
			if (q === 1) await snapshot(phones[0]!, 'live-phone');
			if (q < 3) await host.getByRole('button', { name: '下一题' }).click();
		}
		const db0 = appDatabase();
		const answers = db0.prepare('SELECT count(*) AS n FROM live_answers WHERE live_id = ?').get(liveId) as {
			n: number;
		};
		db0.close();
		expect(answers.n).toBe(6);

		await host.getByRole('button', { name: '结束并公布排名' }).click();
		await host.getByRole('heading', { name: '最终排名' }).waitFor();
		expect(await host.locator('.rank li').count()).toBe(2);
		await phones[1]!.getByText('答题结束').waitFor();
		const db = appDatabase();
		const ranks = db
			.prepare('SELECT count(*) AS n FROM live_players WHERE live_id = ? AND rank IS NOT NULL')
			.get(liveId) as { n: number };
		db.close();
		expect(ranks.n).toBe(2);
		const csv = await (
			await fetch(`${baseURL()}/office/live/${liveId}/results.csv`, {
				headers: { cookie: await loginCookie('lishi.admin') }
			})
		).text();
		expect(csv).toContain('名次,姓名,登录名,答对题数,得分');
		await hostCtx.close();
	});

	it('the host screen keeps every option readable when the answers are revealed (projector, 1280×800)', async () => {
		const db = appDatabase();
		// Single-choice questions with the longest options, so a wide bar would cover most text.
		const picked = db
			.prepare(
				`SELECT id FROM questions WHERE type = 'single' AND archived_at IS NULL ORDER BY length(options) DESC LIMIT 2`
			)
			.all() as { id: number }[];
		db.close();
		const admin = await loginCookie('lishi.admin');
		const created = await fetch(`${baseURL()}/office/live`, {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie: admin, origin: baseURL(), 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams([
				['seconds', '60'],
				['count', '2'],
				...picked.map((q) => ['questionIds', String(q.id)])
			])
		});
		const liveId = Number(/\/office\/live\/(\d+)$/.exec(created.headers.get('location') ?? '')?.[1]);
		expect(liveId).toBeGreaterThan(0);
		const liveDb = appDatabase();
		const { pin, questions } = liveDb
			.prepare('SELECT pin, questions FROM live_quizzes WHERE id = ?')
			.get(liveId) as { pin: string; questions: string };
		liveDb.close();
		// The options as the live quiz shows them (shuffled when it was created).
		const options = (JSON.parse(questions) as { options: string[] }[])[0]!.options;
		const players = [await loginCookie('lishi.cadre'), await loginCookie('lishi.006')];
		for (const cookie of players) expect((await post('/live', { pin }, cookie)).status).toBe(303);
		expect((await post(`/office/live/${liveId}?/next`, {}, admin)).status).toBeLessThan(400);
		// One vote each for A and B: both bars run the full width of their option.
		for (const [i, cookie] of players.entries())
			expect(
				(await post(`/live/${liveId}?/answer`, { choice: String(i === 0 ? 0 : 1) }, cookie)).status
			).toBeLessThan(400);
		expect((await post(`/office/live/${liveId}?/reveal`, {}, admin)).status).toBeLessThan(400);

		const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
		const page = await context.newPage();
		const [name, value] = [admin.slice(0, admin.indexOf('=')), admin.slice(admin.indexOf('=') + 1)];
		await context.addCookies([{ name, value, url: baseURL() }]);
		await page.goto(`${baseURL()}/office/live/${liveId}`, { waitUntil: 'networkidle' });
		await page.getByText(/正确答案：/).waitFor();
		await snapshot(page, 'live-host-reveal-1280x800');
		const shown = await optionTextOnTop(page);
		expect(shown.length).toBe(options.length);
		for (const [i, o] of shown.entries()) {
			expect(o.text).toContain(options[i]!);
			expect(o.hidden).toEqual([]);
		}
		await expect.poll(() => page.locator('.opts li').first().textContent()).toContain('1 人');
		await context.close();
	});
});
