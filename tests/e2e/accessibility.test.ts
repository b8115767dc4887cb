import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import axe from 'axe-core';
import { baseURL } from './http';
import { otherPages, row } from './pages';
import { PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

const VIEWPORTS = { phone: PHONE, desktop: { width: 1280, height: 800 } };

/** axe-core's serious and critical findings on the page as it is now, one line per element. */
async function seriousViolations(page: Page): Promise<string[]> {
	// The page's policy forbids inline scripts; the context bypasses it to inject axe.
	await page.addScriptTag({ content: axe.source });
	const results = await page.evaluate(() =>
		(window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] })
	);
	return results.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.flatMap((v) =>
			v.nodes.map((n) => `${page.url()} ${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary}`)
		);
}

async function check(page: Page, path: string, found: string[]): Promise<void> {
	const response = await page.goto(baseURL() + path, { waitUntil: 'networkidle' });
	// A page that did not open (404, a redirect to the login page) checks nothing.
	if (response?.status() !== 200 || new URL(page.url()).pathname !== path.split('?')[0]) {
		found.push(`${path} did not open: ${response?.status()} ${page.url()}`);
		return;
	}
	await page.locator('h1').first().waitFor();
	found.push(...(await seriousViolations(page)));
}

describe('accessibility (axe-core: no serious or critical violations)', () => {
	for (const [name, viewport] of Object.entries(VIEWPORTS)) {
		it(`login, home, a lesson, a quiz attempt, rank and the office dashboard on a ${name}`, async () => {
			const found: string[] = [];
			const { username } = row<{ username: string }>(
				`SELECT u.username FROM users u JOIN offices o ON o.id = u.office_id
				 WHERE o.code = 'lanxian' AND u.role = 'cadre' AND u.active = 1 AND u.must_change_password = 0 ORDER BY u.username DESC LIMIT 1`
			);
			const lesson = row<{ module: string; lesson: string }>(
				`SELECT m.slug AS module, l.slug AS lesson FROM lessons l JOIN modules m ON m.id = l.module_id
				 WHERE l.archived_at IS NULL AND m.archived_at IS NULL ORDER BY m.sort_order, l.sort_order LIMIT 1`
			);
			const cadre = await browser.newContext({ viewport, locale: 'zh-CN', bypassCSP: true });
			const page = await cadre.newPage();
			await check(page, '/login', found);
			await loginThroughForm(page, baseURL(), username, 'Demo#2026');
			await check(page, '/', found);
			await check(page, `/learn/${lesson.module}/${lesson.lesson}`, found);
			await check(page, '/rank', found);
			await check(page, `/quiz/module/${lesson.module}`, found);
			await page.getByRole('button', { name: /开始测验|再测一次|继续答题/ }).click();
			await page.waitForFunction(() => /\/quiz\/attempt\/\d+/.test(location.pathname));
			await page.getByText('第 1 / ').waitFor();
			found.push(...(await seriousViolations(page)));
			await snapshot(page, `a11y-quiz-${name}`);
			await cadre.close();

			const office = await browser.newContext({ viewport, locale: 'zh-CN', bypassCSP: true });
			const admin = await office.newPage();
			await loginThroughForm(admin, baseURL(), 'lishi.admin', 'Demo#2026');
			await check(admin, '/office/dashboard', found);
			await snapshot(admin, `a11y-dashboard-${name}`);
			await office.close();
			expect(found).toEqual([]);
		});

		it(`every other page of each role on a ${name}`, { timeout: 180_000 }, async () => {
			const found: string[] = [];
			for (const [username, paths] of Object.entries(otherPages())) {
				const context = await browser.newContext({ viewport, locale: 'zh-CN', bypassCSP: true });
				const page = await context.newPage();
				if (username) await loginThroughForm(page, baseURL(), username, 'Demo#2026');
				for (const path of paths) await check(page, path, found);
				await context.close();
			}
			expect(found).toEqual([]);
		});
	}
});
