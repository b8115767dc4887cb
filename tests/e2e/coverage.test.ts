import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { appDatabase, baseURL, get, loginCookie } from './http';
import { DESKTOP, PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';

/*
 * 学习地图 (issue 18, point 5): a cadre's own map on a phone, an office's map rolled up the tree
 * with its child-office switcher, and the party school's view of the material per part.
 */

/** A seeded cadre of 离石区 that no other test uses: reading a part here changes their map. */
const CADRE = 'lishi.013';

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

function sql<T>(query: string, ...params: unknown[]): T {
	const db = appDatabase();
	try {
		return db.prepare(query).get(...params) as T;
	} finally {
		db.close();
	}
}

/** Active cadres of an office and every office below it. */
function membersUnder(code: string): number {
	return sql<{ n: number }>(
		`WITH RECURSIVE tree(id) AS (SELECT id FROM offices WHERE code = ?
			UNION ALL SELECT o.id FROM offices o JOIN tree t ON o.parent_id = t.id)
		SELECT count(*) AS n FROM users WHERE active = 1 AND role = 'cadre' AND office_id IN (SELECT id FROM tree)`,
		code
	).n;
}

/** The page is no wider than the screen (nothing to scroll sideways on a phone). */
async function fitsWidth(page: Page): Promise<boolean> {
	return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describe('我的学习地图', () => {
	it('a cadre opens it from 我的 on a phone: seventeen parts, the part read in the 原文 marked, each linking to the 原文', async () => {
		// 第一部分 read in the 原文 reader (as if its reading time had passed).
		const db = appDatabase();
		try {
			const id = (db.prepare('SELECT id FROM users WHERE username = ?').get(CADRE) as { id: number }).id;
			const now = Date.now();
			db.prepare(
				`INSERT INTO report_reading (user_id, part, opened_at, completed_at, completed_day)
				 VALUES (?, 1, ?, ?, date('now')) ON CONFLICT DO UPDATE SET completed_at = excluded.completed_at`
			).run(id, now - 900_000, now);
		} finally {
			db.close();
		}

		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), CADRE, 'Demo#2026');
		await page.goto(`${baseURL()}/me`, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: /我的学习地图/ }).click();
		await page.getByRole('heading', { level: 1, name: '我的学习地图' }).waitFor();
		expect(new URL(page.url()).pathname).toBe('/me/coverage');

		const parts = page.locator('ol.parts > li');
		expect(await parts.count()).toBe(17);
		const labels = await page.locator('ol.parts h2 .label').allTextContents();
		expect(labels[0]).toBe('开篇');
		expect(labels[3]).toBe('第三部分');
		expect(labels[16]).toBe('结束语');

		const first = parts.filter({ has: page.getByRole('heading', { name: /第一部分/ }) });
		await expect.poll(() => first.getByText('原文已读').count()).toBe(1);
		// A part never read carries no mark; each part shows its three figures.
		const opening = parts.first();
		expect(await opening.getByText('原文已读').count()).toBe(0);
		for (const label of ['讲授', '学习', '正确率'])
			expect(await opening.getByText(label, { exact: true }).count()).toBe(1);
		// Nobody is asked for answers they did not give: a part without answers says so.
		expect(await page.getByText('尚未答题').count()).toBeGreaterThan(0);
		expect(await fitsWidth(page)).toBe(true);
		await snapshot(page, 'coverage-me-phone');
		await page.screenshot({ path: 'test-results/coverage-me-phone-full.png', fullPage: true });

		// 特大字: the figures still fit the phone's width.
		await page.goto(`${baseURL()}/me`, { waitUntil: 'networkidle' });
		await page.getByRole('button', { name: '特大字' }).click();
		await page.locator('link[data-text-size="larger"]').waitFor({ state: 'attached' });
		await page.goto(`${baseURL()}/me/coverage`, { waitUntil: 'networkidle' });
		expect(await fitsWidth(page)).toBe(true);
		await snapshot(page, 'coverage-me-phone-larger');
		await page.goto(`${baseURL()}/me`, { waitUntil: 'networkidle' });
		await page.getByRole('button', { name: '标准' }).click();
		await page.locator('link[data-text-size]').waitFor({ state: 'detached' });
		await page.goto(`${baseURL()}/me/coverage`, { waitUntil: 'networkidle' });

		// The part's link opens the 原文 reader at that part.
		await first.getByRole('link', { name: '重读原文' }).click();
		await page.waitForURL(/\/learn\/report\/1$/);
		await page.locator('main h1').waitFor();
		await context.close();
	});
});

describe('单位学习地图', () => {
	it('the city admin opens it from 参学情况, sees the members rolled up, and switches to a child office', async () => {
		const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'lvliang.admin', 'Demo#2026');
		await page.goto(`${baseURL()}/office/dashboard`, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: '学习地图' }).click();
		await page.getByRole('heading', { level: 1, name: '吕梁市人大常委会 学习地图' }).waitFor();

		const members = () => page.locator('.stat').filter({ hasText: '在用成员' }).locator('.num').textContent();
		expect(Number(await members())).toBe(membersUnder('lvliang'));
		expect(await page.locator('ol.parts > li').count()).toBe(17);
		// Each part says how many studied it and how many read the 原文.
		const opening = page.locator('ol.parts > li').first();
		await opening.getByText(/（\d+\/\d+ 人）/).waitFor();
		await opening.getByText(/人已读）/).waitFor();
		// Parts nobody studied are called out by name; every 未学习 tag is listed in it.
		const idle = await page
			.locator('ol.parts > li')
			.filter({ has: page.locator('.badge', { hasText: '未学习' }) })
			.count();
		expect(await page.getByText(`未学习（${idle} 个部分）`).count()).toBe(idle ? 1 : 0);
		await snapshot(page, 'coverage-office-desktop');
		await page.screenshot({ path: 'test-results/coverage-office-desktop-full.png', fullPage: true });

		await page.locator('nav.switch').getByRole('link', { name: '离石区人大常委会' }).click();
		await page.getByRole('heading', { level: 1, name: '离石区人大常委会 学习地图' }).waitFor();
		expect(Number(await members())).toBe(membersUnder('lishi'));
		// The way back up, since the city admin manages the city too.
		await page.getByRole('link', { name: '上级单位' }).waitFor();

		await page.setViewportSize(PHONE);
		expect(await fitsWidth(page)).toBe(true);
		await snapshot(page, 'coverage-office-phone');
		await page.screenshot({ path: 'test-results/coverage-office-phone-full.png', fullPage: true });
		await context.close();
	});

	it('a district admin is refused another district’s map, in Chinese; a cadre has none', async () => {
		const xiaoyi = sql<{ id: number }>(`SELECT id FROM offices WHERE code = 'xiaoyi'`).id;
		const refused = await get(`/office/coverage?office=${xiaoyi}`, await loginCookie('lishi.admin'));
		expect(refused.status).toBe(404);
		expect(await refused.text()).toContain('不在您的管理范围内');
		expect((await get('/office/coverage', await loginCookie(CADRE))).status).toBe(403);
	});
});

describe('教材覆盖 of the party school', () => {
	it('the school admin opens it from 专题班 and sees each part’s material, thin parts marked', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'dangxiao', 'Demo#2026');
		await page.goto(`${baseURL()}/school/courses`, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: '教材覆盖' }).click();
		await page.getByRole('heading', { level: 1, name: '教材覆盖' }).waitFor();
		const parts = page.locator('ol.parts > li');
		expect(await parts.count()).toBe(17);
		// Every part states its taught share and lesson count; a thin part is named in the notice.
		expect(await page.getByText(/\d+% · \d+ 课/).count()).toBe(17);
		const thin = await parts.filter({ has: page.locator('.badge') }).count();
		expect(await page.getByText('需要补充教材：').count()).toBe(thin ? 1 : 0);
		expect(await fitsWidth(page)).toBe(true);
		await snapshot(page, 'coverage-school-phone');
		await context.close();
		expect((await get('/school/coverage', await loginCookie(CADRE))).status).toBe(403);
	});
});
