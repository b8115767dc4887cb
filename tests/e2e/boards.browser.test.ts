import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { appDatabase, baseURL, get, loginCookie } from './http';
import { DESKTOP, PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';
import { byPinyin } from '../../src/lib/server/users/name-key';

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

describe('leaderboards and participation', () => {
	it('lishi.cadre finds their rank on the office board', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'lishi.cadre', 'Demo#2026');
		await page.getByRole('navigation', { name: '主导航' }).last().getByRole('link', { name: '排行' }).click();
		await page.getByRole('link', { name: '总榜' }).click();
		await page.waitForFunction(() => location.search.includes('period=all'));
		const me = await page.getByRole('region', { name: '我的排名' }).textContent();
		const rank = Number(/第\s*(\d+)\s*名/.exec(me ?? '')?.[1]);
		expect(rank).toBeGreaterThan(0);
		// The same rank as counting, in the database, the colleagues (active cadres and admins still
		// in the office) with more points earned there.
		const db = appDatabase();
		const mine = db
			.prepare(
				`SELECT coalesce(sum(points), 0) AS p FROM points_ledger WHERE user_id = (SELECT id FROM users WHERE username = 'lishi.cadre')`
			)
			.get() as { p: number };
		const above = db
			.prepare(
				`SELECT count(*) AS n FROM (SELECT l.user_id, sum(l.points) AS p FROM points_ledger l JOIN users u ON u.id = l.user_id
				 WHERE l.office_id = (SELECT id FROM offices WHERE code = 'lishi') AND u.office_id = l.office_id AND u.active = 1
				 AND u.role IN ('cadre', 'office_admin') GROUP BY l.user_id) WHERE p > ?`
			)
			.get(mine.p) as { n: number };
		db.close();
		expect(rank).toBe(above.n + 1);
		expect(await page.locator('.board li.mine').count()).toBe(1);
		await snapshot(page, 'rank-phone');
		await context.close();
	});

	it('lishi.admin filters the member table to overdue members, sorts it by name and downloads the .xlsx, which matches the table', async () => {
		const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', acceptDownloads: true });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'lishi.admin', 'Demo#2026');
		await page.goto(`${baseURL()}/office/dashboard`, { waitUntil: 'networkidle' });
		await page.locator('canvas').waitFor();
		await page.getByLabel('状态').selectOption('overdue');
		await page.getByRole('button', { name: '筛选' }).click();
		await page.waitForFunction(() => location.search.includes('status=overdue'));
		// Sorted by name, Z→A (the first click on a header sorts descending).
		await page.locator('table.members thead').getByRole('link', { name: '姓名' }).click();
		await page.waitForFunction(
			() => location.search.includes('sort=name') && location.search.includes('dir=desc')
		);
		const names = (await page.locator('table.members tbody tr td:first-child a').allTextContents()).map((t) =>
			t.trim()
		);
		expect(names.length).toBeGreaterThan(0);
		const overdue = (
			await page.locator('table.members tbody tr td[data-label="任务"] span > span').allTextContents()
		).map(Number);
		expect(overdue).toHaveLength(names.length);
		for (const n of overdue) expect(n).toBeGreaterThan(0);
		await snapshot(page, 'dashboard-desktop');
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('link', { name: '导出 Excel' }).click()
		]);
		// The file says whose figures, for which period, filtered and sorted how, exported when (Shanghai).
		const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
		expect(download.suggestedFilename()).toBe(
			`离石区人大常委会-成员参学情况-本月${today.slice(0, 7)}-导出于${today}.xlsx`
		);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(readFileSync((await download.path())!) as unknown as ExcelJS.Buffer);
		const sheet = wb.worksheets[0]!;
		const preamble = [1, 2, 3, 4, 5].map((n) => String(sheet.getRow(n).getCell(1).value));
		expect(preamble.slice(0, 4)).toEqual([
			'离石区人大常委会 成员参学情况',
			`统计周期：本月（${today.slice(0, 7)}）`,
			'筛选：有逾期任务',
			'排序：姓名（拼音） Z→A'
		]);
		expect(preamble[4]).toMatch(
			new RegExp(
				`^导出时间：${Number(today.slice(0, 4))}年${Number(today.slice(5, 7))}月${Number(today.slice(8))}日 \\d\\d:\\d\\d（北京时间）$`
			)
		);
		const HEADER_ROW = 7;
		expect(sheet.getRow(HEADER_ROW).values).toEqual([
			undefined,
			'姓名',
			'登录名',
			'单位',
			'本期积分',
			'最近学习',
			'已学课程',
			'通过测验',
			'完成任务',
			'逾期任务',
			'本年学时',
			'状态'
		]);
		const exported: string[] = [];
		sheet.eachRow((row, n) => {
			if (n > HEADER_ROW) {
				exported.push(String(row.getCell(1).value));
				expect(Number(row.getCell(9).value)).toBeGreaterThan(0);
			}
		});
		// The export holds every filtered member (the table shows them a page at a time).
		const total = Number(/共\s*(\d+)\s*条/.exec((await page.locator('.pager').textContent()) ?? '')?.[1]);
		expect(exported).toHaveLength(total);
		// In the table's order: its first page is the export's first rows.
		expect(exported.slice(0, names.length)).toEqual(names);
		await context.close();
	});

	it('on a phone, where the table has no headers, lishi.admin sorts the members by name from the sort menu', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'lishi.admin', 'Demo#2026');
		await page.goto(`${baseURL()}/office/dashboard`);
		expect(await page.locator('table.members thead').isVisible()).toBe(false);
		await page.getByLabel('排序').selectOption('name');
		await page.getByLabel('顺序').selectOption('asc');
		await page.getByRole('button', { name: '筛选' }).click();
		await page.waitForFunction(
			() => location.search.includes('sort=name') && location.search.includes('dir=asc')
		);
		const names = (await page.locator('table.members tbody tr td:first-child a').allTextContents()).map((t) =>
			t.trim()
		);
		expect(names.length).toBeGreaterThan(1);
		// Pinyin order: by the stored key, and surnames as ICU's pinyin collation orders them.
		expect(names).toEqual([...names].sort(byPinyin));
		const surnames = names.map((n) => n[0]!);
		expect(surnames).toEqual([...surnames].sort(new Intl.Collator('zh-Hans-CN-u-co-pinyin').compare));
		expect(surnames).not.toEqual([...surnames].sort());
		// The menus show the sort in force after the reload.
		expect(await page.getByLabel('排序').inputValue()).toBe('name');
		await snapshot(page, 'dashboard-phone-sorted');
		await context.close();
	});

	it('lvliang.admin compares the 13 county-level offices', async () => {
		const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'lvliang.admin', 'Demo#2026');
		await page.goto(`${baseURL()}/rank/offices`, { waitUntil: 'networkidle' });
		expect(await page.locator('.board li').count()).toBe(13);
		for (const metric of ['人均积分', '按期完成率']) {
			await page.getByRole('link', { name: metric }).click();
			await page.getByRole('link', { name: metric }).and(page.locator('[aria-current="true"]')).waitFor();
			expect(await page.locator('.board li').count()).toBe(13);
		}
		await snapshot(page, 'compare-desktop');
		await context.close();
		// The comparison exports too, with Chinese headers.
		const cookie = await loginCookie('lvliang.admin');
		const csv = await (await get('/office/compare/export.csv?metric=perCapita', cookie)).text();
		const lines = csv
			.replace(/^\uFEFF/, '')
			.trim()
			.split('\r\n');
		expect(lines[0]).toBe('吕梁市人大常委会 单位对比（按人均积分）');
		expect(lines[1]).toMatch(/^统计周期：本月（\d{4}-\d{2}）$/);
		expect(lines[2]).toMatch(/^导出时间：/);
		expect(lines[4]).toBe(
			'名次,单位,在用成员,参学人数,参学率(%),本期积分,人均积分,按期完成率(%),宣讲场次,每百名成员宣讲场次'
		);
		expect(lines).toHaveLength(18);
	});

	it('a sibling office admin cannot open another office’s dashboard or export', async () => {
		const cookie = await loginCookie('lishi.admin');
		const db = appDatabase();
		const xiaoyi = (db.prepare(`SELECT id FROM offices WHERE code = 'xiaoyi'`).get() as { id: number }).id;
		const lvliang = (db.prepare(`SELECT id FROM offices WHERE code = 'lvliang'`).get() as { id: number }).id;
		db.close();
		for (const path of [
			`/office/dashboard?office=${xiaoyi}`,
			`/office/dashboard/export.csv?office=${xiaoyi}`,
			`/office/dashboard?office=${lvliang}`
		]) {
			expect((await get(path, cookie)).status, path).toBe(404);
		}
		const parent = await loginCookie('lvliang.admin');
		expect((await get(`/office/dashboard?office=${xiaoyi}`, parent)).status).toBe(200);
	});
});
