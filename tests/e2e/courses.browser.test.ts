import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { appDatabase, baseURL, get } from './http';
import { DESKTOP, PHONE, answerRightly, launchBrowser, loginThroughForm, snapshot } from './browser';

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

const COURSE = '人民满意的教育专题（测试）';

function sql<T>(query: string, ...params: unknown[]): T {
	const db = appDatabase();
	try {
		return db.prepare(query).get(...params) as T;
	} finally {
		db.close();
	}
}

/** Lets a lesson's reading time pass (the test's stand-in for a patient reader). */
function backdate(username: string, lessonSlug: string) {
	const db = appDatabase();
	db.prepare(
		`UPDATE lesson_progress SET opened_at = opened_at - 600000 WHERE user_id = (SELECT id FROM users WHERE username = ?) AND lesson_id = (SELECT id FROM lessons WHERE slug = ?)`
	).run(username, lessonSlug);
	db.close();
}

async function answerRight(page: Page, attemptId: number, position: number) {
	const { snapshot: raw } = sql<{ snapshot: string }>(
		'SELECT snapshot FROM attempt_items WHERE attempt_id = ? AND position = ?',
		attemptId,
		position
	);
	await answerRightly(page, JSON.parse(raw) as { type: string; answer: unknown });
}

describe('a party school runs a course', () => {
	it('the school admin creates a course and assigns it to 离石区人大常委会', async () => {
		const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'dangxiao', 'Demo#2026');
		await page.goto(`${baseURL()}/school/courses/new`, { waitUntil: 'networkidle' });
		// Nothing filled in: every problem beside its field.
		await page.getByRole('button', { name: '创建专题班' }).click();
		await page.getByText('请至少选择一个学习模块').waitFor();
		await page.getByLabel('课程名称').fill(COURSE);
		await page.getByLabel(/^学时/).fill('4');
		await page.getByLabel('开课日期').fill('2026-11-01');
		await page.getByLabel('截止日期').fill('2027-01-31');
		await page
			.getByLabel(/人民满意的教育|立德树人|教育/)
			.first()
			.check();
		await page.getByRole('button', { name: '创建专题班' }).click();
		await page.getByText('专题班已创建').waitFor();
		await page.getByLabel('离石区人大常委会').check();
		await page.getByRole('button', { name: '布置', exact: true }).click();
		await page.getByText(/已布置，\d+ 人收到学习任务/).waitFor();
		expect(await page.getByRole('cell', { name: '离石区人大常委会' }).count()).toBe(1);
		await snapshot(page, 'school-course-desktop');
		await context.close();
	});

	it('lishi.cadre sees it in 我的任务, completes it, and opens the certificate, whose QR link verifies', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'lishi.cadre', 'Demo#2026');
		await page.goto(`${baseURL()}/tasks`, { waitUntil: 'networkidle' });
		const task = page.locator('article, li, section').filter({ hasText: COURSE }).first();
		await task.waitFor();
		await snapshot(page, 'tasks-phone');

		// Study every lesson of the module.
		const module = sql<{ slug: string }>(
			`SELECT m.slug FROM modules m JOIN course_modules cm ON cm.module_id = m.id JOIN courses c ON c.id = cm.course_id WHERE c.title = ?`,
			COURSE
		).slug;
		const db = appDatabase();
		const lessonSlugs = (
			db
				.prepare(
					`SELECT l.slug FROM lessons l JOIN modules m ON m.id = l.module_id WHERE m.slug = ? AND l.archived_at IS NULL ORDER BY l.sort_order`
				)
				.all(module) as { slug: string }[]
		).map((l) => l.slug);
		db.close();
		for (const slug of lessonSlugs) {
			await page.goto(`${baseURL()}/learn/${module}/${slug}`, { waitUntil: 'networkidle' });
			if (await page.getByText('您已学完本节').count()) continue;
			backdate('lishi.cadre', slug);
			await page.getByRole('button', { name: '完成本节' }).click();
			await page.getByText('本节已完成').waitFor();
		}
		// Then pass the module quiz.
		await page.goto(`${baseURL()}/quiz/module/${module}`, { waitUntil: 'networkidle' });
		await page.getByRole('button', { name: /开始测验|再测一次|继续答题/ }).click();
		await page.waitForFunction(() => /\/quiz\/attempt\/\d+/.test(location.pathname));
		const attemptId = Number(/\/quiz\/attempt\/(\d+)/.exec(page.url())![1]);
		const total = sql<{ n: number }>(
			'SELECT count(*) AS n FROM attempt_items WHERE attempt_id = ?',
			attemptId
		).n;
		for (let p = 1; p <= total; p++) {
			await page.getByText(`第 ${p} / ${total} 题`).waitFor();
			await answerRight(page, attemptId, p);
			await page.getByRole('button', { name: p < total ? '保存，下一题' : '保存，检查交卷' }).click();
		}
		await page.getByRole('button', { name: '确认交卷' }).click();
		await page.getByRole('heading', { name: '逐题回顾' }).waitFor();

		await page.goto(`${baseURL()}/tasks`, { waitUntil: 'networkidle' });
		const done = page.locator('article, li, section').filter({ hasText: COURSE }).first();
		expect(await done.textContent()).toContain('已完成');
		await done.getByRole('link', { name: /证书/ }).click();
		await page.waitForFunction(() => location.pathname.startsWith('/certificates/'));
		await page.locator('.qr svg').waitFor();
		const serial = sql<{ serial: string }>(
			`SELECT serial FROM certificates WHERE course_title = ? AND user_id = (SELECT id FROM users WHERE username = 'lishi.cadre')`,
			COURSE
		).serial;
		expect(await page.textContent('body')).toContain(serial);
		await snapshot(page, 'certificate-phone');

		// The QR code on the page encodes the public verification link…
		const verifyUrl = `${baseURL()}/verify/${serial}`;
		const svg = await page.locator('.qr svg').evaluate((el) => el.outerHTML);
		const expected = await QRCode.toString(verifyUrl, {
			type: 'svg',
			errorCorrectionLevel: 'M',
			margin: 1,
			color: { dark: '#1f2329', light: '#ffffff' }
		});
		const pathsOf = (s: string) => [...s.matchAll(/ d="([^"]+)"/g)].map((m) => m[1]);
		expect(pathsOf(svg)).toEqual(pathsOf(expected));
		await context.close();

		// …which anyone can open without logging in.
		const anonymous = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const verify = await anonymous.newPage();
		const res = await verify.goto(verifyUrl);
		expect(res?.status()).toBe(200);
		const text = (await verify.textContent('body')) ?? '';
		expect(text).toContain('李文博');
		expect(text).toContain(COURSE);
		expect(text).not.toContain('离石区人大常委会');
		await snapshot(verify, 'verify-phone');
		expect((await get('/verify/LL2026-NOPE-NOPE-NOPE')).status).toBe(404);
		await anonymous.close();
	});

	it('modules are kept in the order the author ticked them, and the edit form shows that order', async () => {
		const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'dangxiao', 'Demo#2026');
		await page.goto(`${baseURL()}/school/courses/new`, { waitUntil: 'networkidle' });
		const boxes = page.locator('fieldset.mods input[type=checkbox]');
		const titles = (await page.locator('fieldset.mods label').allTextContents()).map((t) => t.trim());
		// The third module of the page first, then the first.
		await boxes.nth(2).check();
		await boxes.nth(0).check();
		expect(await page.getByLabel(`序号：${titles[2]}`).inputValue()).toBe('1');
		expect(await page.getByLabel(`序号：${titles[0]}`).inputValue()).toBe('2');
		await page.getByLabel('课程名称').fill('模块顺序专题班（测试）');
		await page.getByLabel(/^学时/).fill('2');
		await page.getByLabel('开课日期').fill('2026-11-01');
		await page.getByLabel('截止日期').fill('2027-01-31');
		await page.getByRole('button', { name: '创建专题班' }).click();
		await page.getByText('专题班已创建').waitFor();
		expect((await page.locator('main ol li').allTextContents()).map((t) => t.trim())).toEqual([
			titles[2],
			titles[0]
		]);
		expect(await page.getByLabel(`序号：${titles[2]}`).inputValue()).toBe('1');
		await context.close();
	});

	it('an office admin cannot open the record of another office’s member', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'lishi.admin', 'Demo#2026');
		const other = sql<{ id: number }>(`SELECT id FROM users WHERE username = 'xiaoyi.003'`).id;
		const res = await page.goto(`${baseURL()}/office/members/${other}/record`);
		expect(res?.status()).toBe(404);
		const own = sql<{ id: number }>(`SELECT id FROM users WHERE username = 'lishi.003'`).id;
		expect((await page.goto(`${baseURL()}/office/members/${own}/record`))?.status()).toBe(200);
		expect(await page.textContent('main')).toContain('学习档案');
		await context.close();
	});
});
