import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { appDatabase, baseURL } from './http';
import { row } from './pages';
import { DESKTOP, PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';
import { reportLink } from '../../src/lib/report-place';

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

/** Accounts the other browser tests sign in with: this file keeps off their quizzes and readings. */
const TAKEN = [
	'lishi.cadre',
	'xiaoyi.002',
	'xiaoyi.003',
	'liulin.002',
	'liulin.003',
	'liulin.004',
	'liulin.005'
];

/**
 * A seeded cadre's submitted module quiz that shows answers, with a question whose source is a
 * paragraph of the report (the content sync fills questions.source_ref: 第三部分 · 第14段).
 */
function reviewedQuestion() {
	return row<{ attemptId: number; username: string; position: number; source: string }>(
		`SELECT a.id AS attemptId, u.username, i.position, q.source_ref AS source
		FROM attempts a JOIN users u ON u.id = a.user_id
		JOIN attempt_items i ON i.attempt_id = a.id
		JOIN questions q ON q.key = json_extract(i.snapshot, '$.key')
		WHERE a.submitted_at IS NOT NULL AND a.show_answers = 1 AND a.kind = 'module'
			AND u.role = 'cadre' AND u.active = 1 AND u.must_change_password = 0
			AND u.username NOT IN (${TAKEN.map((t) => `'${t}'`).join(', ')})
			AND q.source_ref LIKE '%部分%段'
		ORDER BY a.id, i.position LIMIT 1`
	);
}

/** WCAG contrast of two computed rgb() colours. */
function contrast(a: string, b: string): number {
	const lum = (c: string) => {
		const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
			const s = Number(v) / 255;
			return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
		});
		return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
	};
	const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
	return (hi! + 0.05) / (lo! + 0.05);
}

/** Whether the element is on screen (below the sticky top bar) and how it is painted. */
async function landed(page: Page, id: string) {
	return page.evaluate((anchor) => {
		const el = document.getElementById(anchor)!;
		const box = el.getBoundingClientRect();
		return {
			inView: box.top >= 0 && box.top < window.innerHeight / 2,
			highlighted: el.classList.contains('hl') || el.matches(':target'),
			background: getComputedStyle(el).backgroundColor,
			number: getComputedStyle(el.querySelector('.num')!).color,
			wide: document.documentElement.scrollWidth > window.innerWidth
		};
	}, id);
}

describe('读原文', () => {
	it("a cadre opens a quiz result's review, follows a question's 原文 link and lands on the highlighted paragraph", async () => {
		const q = reviewedQuestion();
		const link = reportLink(q.source)!;
		expect(link, q.source).not.toBeNull();
		const id = link.href.split('#')[1]!;
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), q.username, 'Demo#2026');
		await page.goto(`${baseURL()}/quiz/attempt/${q.attemptId}/result`, { waitUntil: 'networkidle' });
		const item = page.locator('ol.items > li').nth(q.position - 1);
		const source = item.getByRole('link', { name: link.label });
		expect(await source.count()).toBe(1);
		await source.scrollIntoViewIfNeeded();
		await snapshot(page, 'report-source-in-review-phone');
		await source.click();
		await page.waitForFunction((anchor) => location.hash === `#${anchor}`, id);
		await page.locator(`#${id}.hl`).waitFor();
		// Scrolling to the anchor may finish after the navigation.
		await page.waitForFunction((anchor) => {
			const top = document.getElementById(anchor)!.getBoundingClientRect().top;
			return top >= 0 && top < window.innerHeight / 2;
		}, id);
		const seen = await landed(page, id);
		expect(seen).toMatchObject({ inView: true, highlighted: true, wide: false });
		expect(seen.background).toBe('rgb(255, 246, 216)');
		// The paragraph number stays readable on the highlight (≥ 4.5:1).
		expect(contrast(seen.number, seen.background)).toBeGreaterThanOrEqual(4.5);
		await snapshot(page, 'report-paragraph-highlighted-phone');

		// The same address opened in a browser without JavaScript highlights it too (:target and ?p=).
		const plain = await browser.newContext({
			viewport: PHONE,
			locale: 'zh-CN',
			javaScriptEnabled: false,
			storageState: await context.storageState()
		});
		const noScript = await plain.newPage();
		await noScript.goto(`${baseURL()}${link.href}`, { waitUntil: 'load' });
		expect(
			await noScript.evaluate((anchor) => {
				const el = document.getElementById(anchor)!;
				return el.matches(':target') && el.classList.contains('hl');
			}, id)
		).toBe(true);
		await plain.close();
		await context.close();
	});

	it('the contents list every part with 已读/未读, and the search finds a phrase, marked, linking to its paragraph', async () => {
		const { username } = reviewedQuestion();
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), username, 'Demo#2026');
		await page.goto(`${baseURL()}/learn`, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: /读原文：党的二十大报告全文/ }).click();
		await page.getByRole('heading', { name: '读原文', level: 1 }).waitFor();
		const parts = page.locator('ol.parts > li');
		expect(await parts.count()).toBe(17);
		expect(await parts.first().textContent()).toContain('开篇');
		expect(await parts.nth(6).textContent()).toContain('发展全过程人民民主，保障人民当家作主');
		expect(await parts.last().textContent()).toContain('结束语');
		expect(await page.locator('ol.parts .badge', { hasText: /^(已读|未读)$/ }).count()).toBe(17);
		expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
		await snapshot(page, 'report-contents-phone');

		await page.getByRole('searchbox', { name: '在原文中搜索' }).fill('本质属性');
		await page.getByRole('searchbox', { name: '在原文中搜索' }).press('Enter');
		await page.getByRole('heading', { name: '原文中的“本质属性”' }).waitFor();
		const hit = page.locator('ol.hits > li', { hasText: '全过程人民民主是社会主义民主政治的本质属性' });
		expect(await hit.locator('mark').first().textContent()).toBe('本质属性');
		await snapshot(page, 'report-search-phone');
		await hit.getByRole('link').click();
		await page.waitForFunction(() => location.pathname === '/learn/report/6');
		await page.locator('#p6-1.hl').waitFor();

		await page.goto(`${baseURL()}/learn/report?q=${encodeURIComponent('这句话不在报告里')}`);
		expect(await page.getByText('原文中没有找到“这句话不在报告里”').count()).toBe(1);
		await context.close();
	});

	it('a part reads well on a phone and on a desktop: numbers, lessons, the ⋯ menu, and reading time decided by the server', async () => {
		const { username } = reviewedQuestion();
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), username, 'Demo#2026');
		await page.goto(`${baseURL()}/learn/report/3`, { waitUntil: 'networkidle' });
		await page.getByRole('heading', { name: '三、新时代新征程中国共产党的使命任务', level: 1 }).waitFor();
		expect(await page.locator('#p3-14 .num').textContent()).toBe('§ 14');
		// The lessons of 中国式现代化 teach this part: its paragraphs link to them.
		expect(await page.locator('.taught a', { hasText: /^课程《/ }).count()).toBeGreaterThan(0);
		expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
		const look = await page.evaluate(() => {
			const text = getComputedStyle(document.querySelector('#p3-1 .text')!);
			const num = getComputedStyle(document.querySelector('#p3-1 .num')!);
			return { size: parseFloat(text.fontSize), line: parseFloat(text.lineHeight), num: num.color };
		});
		expect(look.line / look.size).toBeGreaterThanOrEqual(1.8);
		expect(contrast(look.num, 'rgb(255, 255, 255)')).toBeGreaterThanOrEqual(4.5);
		await snapshot(page, 'report-part-phone');

		// Too early: the server says how long is left.
		await page.getByRole('button', { name: '读完本部分' }).click();
		await page.getByText(/还不能记为读完：第三部分需要阅读满 \d+ 秒，您还需阅读 \d+ 秒。/).waitFor();
		// Time passes (the opening is moved back), then it counts and pays.
		const db = appDatabase();
		db.prepare(
			`UPDATE report_reading SET opened_at = opened_at - 3600000 WHERE part = 3 AND user_id = (SELECT id FROM users WHERE username = ?)`
		).run(username);
		db.close();
		await page.getByRole('button', { name: '读完本部分' }).click();
		await page.getByText('已记为读完第三部分。').waitFor();
		expect(await page.getByText('获得 2 积分').count()).toBe(1);

		// The ⋯ of a paragraph holds its bookmark and note.
		await page.locator('#p3-2 .more > summary').click();
		await page.locator('#p3-2 .menu').getByRole('button', { name: /收藏/ }).waitFor();
		expect(await page.locator('#p3-2 .menu summary', { hasText: '写笔记' }).count()).toBe(1);
		await snapshot(page, 'report-part-menu-phone');

		await page.setViewportSize(DESKTOP);
		await page.goto(`${baseURL()}/learn/report/4?p=p4-3-1#p4-3-1`, { waitUntil: 'networkidle' });
		expect(await page.getByRole('heading', { name: /^（三）/, level: 2 }).count()).toBe(1);
		await snapshot(page, 'report-part-desktop');
		await page.goto(`${baseURL()}/learn/report`, { waitUntil: 'networkidle' });
		expect(await page.locator('ol.parts > li').nth(3).locator('.badge').textContent()).toBe('已读');
		await snapshot(page, 'report-contents-desktop');

		// A part that is not in the report: a Chinese 404.
		const missing = await page.goto(`${baseURL()}/learn/report/17`);
		expect(missing?.status()).toBe(404);
		expect(await page.getByText('原文没有这一部分').count()).toBeGreaterThan(0);
		await context.close();
	});
});
