import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseURL, get, loginCookie, post } from './http';
import { DESKTOP, PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

const TITLE = '集中学习：办好人民满意的教育（测试）';
const shanghaiToday = () =>
	new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

describe('a collective study session', () => {
	it('the office admin schedules it and shows the code; a member checks in on a phone', async () => {
		const admin = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
		const a = await admin.newPage();
		await loginThroughForm(a, baseURL(), 'lishi.admin', 'Demo#2026');
		await a.goto(`${baseURL()}/office/study-sessions/new`, { waitUntil: 'networkidle' });
		await a.getByLabel('学习主题').fill(TITLE);
		await a.getByLabel('日期').fill(shanghaiToday());
		await a.getByLabel('开始时间').fill('00:00');
		await a.getByLabel('结束时间').fill('23:59');
		await a.getByLabel('地点').fill('机关三楼会议室');
		await a.getByLabel('领学人').fill('办公室主任');
		await a.getByRole('button', { name: '安排并通知成员' }).click();
		await a.getByText('已安排并通知参加单位的成员').waitFor();
		await a.getByRole('link', { name: '打开签到屏幕' }).click();
		const codeText = (await a.locator('.code').textContent()) ?? '';
		const code = codeText.replace(/\s/g, '');
		expect(code).toMatch(/^\d{6}$/);
		expect(await a.locator('.qr svg').count()).toBe(1);
		await snapshot(a, 'checkin-screen-desktop');

		const member = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const m = await member.newPage();
		await loginThroughForm(m, baseURL(), 'lishi.cadre', 'Demo#2026');
		await m.goto(`${baseURL()}/checkin`, { waitUntil: 'networkidle' });
		await m.getByLabel(new RegExp(TITLE.slice(0, 6))).check();
		await m.getByLabel(/签到码/).fill('000000' === code ? '111111' : '000000');
		await m.getByRole('button', { name: '签到' }).click();
		await m.locator('#code-error').waitFor();
		await m.getByLabel(/签到码/).fill(code);
		await m.getByRole('button', { name: '签到' }).click();
		await m.getByText(/签到成功！.*计 3 学时/).waitFor();
		await snapshot(m, 'checkin-phone');
		await member.close();

		await a.goBack();
		await a.reload({ waitUntil: 'networkidle' });
		const row = a.locator('.roster li', { hasText: '李文博' });
		expect(await row.locator('.badge').textContent()).toBe('已签到');
		await admin.close();
	});
});

describe('the old address of 集中学习', () => {
	it('/office/sessions/… leads to /office/study-sessions/… with the rest of the link, for pages and form posts', async () => {
		const admin = await loginCookie('lishi.admin');
		for (const [old, now] of [
			['/office/sessions', '/office/study-sessions'],
			['/office/sessions/new', '/office/study-sessions/new'],
			['/office/sessions/12/screen?x=%E4%B8%80', '/office/study-sessions/12/screen?x=%E4%B8%80']
		]) {
			const res = await get(old!, admin);
			expect(res.status, old).toBe(308);
			expect(res.headers.get('location'), old).toBe(now);
		}
		const posted = await post('/office/sessions/12?/minutes', { minutes: '纪要' }, admin);
		expect(posted.status).toBe(308);
		expect(posted.headers.get('location')).toBe('/office/study-sessions/12?/minutes');
		// Still behind the guard: a cadre gets the Chinese 403, not the new address.
		expect((await get('/office/sessions/new', await loginCookie('lishi.cadre'))).status).toBe(403);
	});
});
