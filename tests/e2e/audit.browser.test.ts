import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { appDatabase, baseURL, get, loginCookie, post } from './http';
import { DESKTOP, launchBrowser, loginThroughForm, snapshot } from './browser';

let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

/** A fictional cadre of an office (never a demo account other tests log in with). */
function cadreOf(officeName: string): { id: number; name: string; username: string } {
	const db = appDatabase();
	try {
		return db
			.prepare(
				`SELECT u.id, u.name, u.username FROM users u JOIN offices o ON o.id = u.office_id
				WHERE o.name = ? AND u.role = 'cadre' AND u.active = 1 AND u.username NOT LIKE '%.cadre' ORDER BY u.id DESC LIMIT 1`
			)
			.get(officeName) as { id: number; name: string; username: string };
	} finally {
		db.close();
	}
}

const LOOPBACK = /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/;

describe('日志中心', () => {
	it('the sysadmin resets a password and finds it in the log with who and from which address; office admins see only their offices', async () => {
		const lishi = cadreOf('离石区人大常委会');
		const xiaoyi = cadreOf('孝义市人大常委会');

		const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'admin', 'Demo#2026');
		await page.goto(`${baseURL()}/admin/users/${lishi.id}`, { waitUntil: 'networkidle' });
		await page.getByText('重置密码', { exact: true }).click();
		await page.getByRole('button', { name: '确认重置' }).click();
		await page.locator('.pw code').waitFor();

		await page.getByRole('navigation', { name: '系统管理' }).getByRole('link', { name: '日志中心' }).click();
		await page.getByRole('heading', { name: '操作日志' }).waitFor();
		const first = page.locator('table tbody tr').first();
		expect(await first.locator('td[data-label="操作"]').textContent()).toBe('重置密码');
		expect(await first.locator('td[data-label="操作人"]').textContent()).toContain('系统管理员');
		expect((await first.locator('td[data-label="IP 地址"]').textContent())?.trim()).toMatch(LOOPBACK);
		expect(await first.locator('td[data-label="单位 / 党校"]').textContent()).toBe('离石区人大常委会');
		expect(await first.locator('td[data-label="内容"]').textContent()).toContain(
			`${lishi.name}（${lishi.username}）`
		);
		await snapshot(page, 'audit-admin-desktop');

		// Filtering by action keeps only resets (the seeded history has other entries).
		await page.getByLabel('操作', { exact: true }).selectOption('account.reset_password');
		await page.getByRole('button', { name: '筛选' }).click();
		await page.waitForURL(/action=account\.reset_password/);
		const actions = await page.locator('td[data-label="操作"]').allTextContents();
		expect(actions.length).toBeGreaterThan(0);
		expect(new Set(actions)).toEqual(new Set(['重置密码']));
		await context.close();

		// A second reset, of another office's cadre, over plain HTTP (a form post without JavaScript).
		const admin = await loginCookie('admin');
		const reset = await post(`/admin/users/${xiaoyi.id}?/reset`, {}, admin);
		expect(reset.status).toBe(200);

		const lishiAdmin = await loginCookie('lishi.admin');
		expect((await get('/admin/audit', lishiAdmin)).status).toBe(403);
		expect((await get('/admin/audit/export.csv', lishiAdmin)).status).toBe(403);
		const own = await (await get('/office/audit?action=account.reset_password', lishiAdmin)).text();
		expect(own).toContain(`${lishi.name}（${lishi.username}）`);
		expect(own).not.toContain(xiaoyi.username);
		const csv = await (
			await get('/office/audit/export.csv?action=account.reset_password', lishiAdmin)
		).text();
		expect(csv).toContain(lishi.username);
		expect(csv).not.toContain(xiaoyi.username);
		// The city office is above both counties: its admin sees both resets.
		const city = await (
			await get('/office/audit?action=account.reset_password', await loginCookie('lvliang.admin'))
		).text();
		expect(city).toContain(lishi.username);
		expect(city).toContain(xiaoyi.username);
		// Every entry on the office admin's unfiltered page concerns 离石区.
		const ownPage = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
		const p = await ownPage.newPage();
		await loginThroughForm(p, baseURL(), 'lishi.admin', 'Demo#2026');
		await p.goto(`${baseURL()}/office/audit`);
		const offices = await p.locator('td[data-label="单位 / 党校"]').allTextContents();
		expect(offices.length).toBeGreaterThan(0);
		expect(new Set(offices)).toEqual(new Set(['离石区人大常委会']));
		await snapshot(p, 'audit-office-desktop');
		await ownPage.close();
	});
});
