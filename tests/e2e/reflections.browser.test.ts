import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseURL, get, loginCookie } from './http';
import { PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

const TITLE = '学习报告的几点体会（测试）';
const PARAGRAPH =
	'报告指出全过程人民民主是社会主义民主政治的本质属性。结合代表联络站的工作，我体会到要把群众的意见建议收集好、转办好、反馈好，让群众的呼声有回音。';

describe('reflections (心得体会)', () => {
	it('a cadre saves a draft, is told when the text is too short, submits; the admin marks it excellent; a colleague reads it', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'lishi.cadre', 'Demo#2026');
		await page.goto(`${baseURL()}/reflections/new`, { waitUntil: 'networkidle' });
		await page.getByLabel('标题').fill(TITLE);
		await page.getByLabel('对应的学习').selectOption({ index: 1 });
		await page.getByLabel('正文').fill(PARAGRAPH);
		await page.getByRole('button', { name: '提交' }).click();
		await page.getByText(/提交需要至少 300 字/).waitFor();
		await page.getByRole('button', { name: '保存草稿' }).click();
		await page.getByText('草稿已保存').waitFor();
		const id = Number(/\/reflections\/(\d+)/.exec(page.url())?.[1]);
		// Drafts are private even to the office admin.
		expect((await get(`/reflections/${id}`, await loginCookie('lishi.admin'))).status).toBe(404);
		await page.getByLabel('正文').fill(Array.from({ length: 5 }, () => PARAGRAPH).join('\n\n'));
		await page.getByRole('button', { name: '提交' }).click();
		await page.getByText('已提交。').waitFor();
		await snapshot(page, 'reflection-phone');
		await context.close();

		const admin = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const a = await admin.newPage();
		await loginThroughForm(a, baseURL(), 'lishi.admin', 'Demo#2026');
		await a.goto(`${baseURL()}/reflections/${id}`, { waitUntil: 'networkidle' });
		await a.getByLabel('点评').fill('联系实际，写得好。');
		await a.getByRole('button', { name: '发表点评' }).click();
		await a.getByText('点评已发表').waitFor();
		await a.getByRole('button', { name: '评为优秀' }).click();
		await a.getByText('已评为优秀').waitFor();
		await admin.close();

		// Another office's admin cannot read it; a colleague of the same office can, now it is excellent.
		expect((await get(`/reflections/${id}`, await loginCookie('admin'))).status).toBe(200);
		const colleague = await loginCookie('lishi.004');
		const list = await (await get('/reflections', colleague)).text();
		expect(list).toContain(TITLE);
		expect((await get(`/reflections/${id}`, colleague)).status).toBe(200);
	});
});
