import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseURL, get, loginCookie } from './http';
import { otherPages, row } from './pages';
import { DESKTOP, PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

function expectSecurityHeaders(res: Response): string {
	expect(res.headers.get('x-content-type-options')).toBe('nosniff');
	expect(res.headers.get('referrer-policy')).toBe('same-origin');
	expect(res.headers.get('x-frame-options')).toBe('DENY');
	const csp = res.headers.get('content-security-policy') ?? '';
	expect(csp).toContain("frame-ancestors 'none'");
	return csp;
}

/** Directives of a policy by name. */
function directives(csp: string): Map<string, string[]> {
	return new Map(
		csp
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.map(([name, ...values]) => [name!, values])
	);
}

describe('security headers', () => {
	it('a page carries a Content-Security-Policy whose nonce, fresh for each response, is the one on its start-up script', async () => {
		const nonces: string[] = [];
		for (let i = 0; i < 2; i++) {
			const res = await get('/login');
			expect(res.status).toBe(200);
			const policy = directives(expectSecurityHeaders(res));
			const html = await res.text();
			const nonce = /<script nonce="([^"]+)"/.exec(html)?.[1];
			expect(nonce).toBeTruthy();
			expect(policy.get('script-src')).toEqual(["'self'", `'nonce-${nonce}'`]);
			expect(policy.get('default-src')).toEqual(["'self'"]);
			expect(policy.get('style-src')).not.toContain("'unsafe-inline'");
			expect(policy.get('object-src')).toEqual(["'none'"]);
			expect(policy.get('base-uri')).toEqual(["'self'"]);
			expect(policy.get('form-action')).toEqual(["'self'"]);
			nonces.push(nonce!);
		}
		expect(nonces[0]).not.toBe(nonces[1]);
	});

	it('endpoints (health check, export, live event stream) and error pages carry them too', async () => {
		const closed = (res: Response) =>
			expect(directives(expectSecurityHeaders(res)).get('default-src')).toEqual(["'none'"]);
		closed(await get('/healthz'));
		const admin = await loginCookie('lishi.admin');
		const csv = await get('/office/dashboard/export.csv', admin);
		expect(csv.status).toBe(200);
		closed(csv);
		const live = row<{ id: number }>(
			`SELECT l.id FROM live_quizzes l JOIN users u ON u.id = l.host_id WHERE u.username = 'lishi.admin' LIMIT 1`
		);
		const controller = new AbortController();
		const stream = await fetch(`${baseURL()}/live/${live.id}/events`, {
			headers: { cookie: admin },
			signal: controller.signal
		});
		expect(stream.headers.get('content-type')).toContain('text/event-stream');
		closed(stream);
		controller.abort();

		// The app's error page (a page that does not exist) and the bare one (an endpoint's error).
		const missing = await get('/no-such-page', admin);
		expect(missing.status).toBe(404);
		expect(directives(expectSecurityHeaders(missing)).get('script-src')?.[1]).toMatch(/^'nonce-/);
		const bare = await fetch(`${baseURL()}/live/999999/events`, {
			headers: { cookie: admin, accept: 'text/html' }
		});
		expect(bare.status).toBe(404);
		expect(await bare.text()).toContain('没有找到这场现场答题，或您无权查看');
		closed(bare);
	});
});

/**
 * Every Content-Security-Policy violation and console error on the context's pages. The listener
 * is installed before each document's first byte, so it hears violations while the page is parsed.
 */
async function watch(context: BrowserContext): Promise<string[]> {
	const problems: string[] = [];
	await context.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) =>
			console.error(
				`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`
			)
		);
	});
	context.on('console', (m) => {
		// The browser logs the 404 of an error page itself; a failed image or script is a problem.
		const ownStatus = m.text().startsWith('Failed to load resource') && m.location().url === m.page()?.url();
		if (m.type() === 'error' && !ownStatus) problems.push(`${m.page()?.url()}: ${m.text()}`);
	});
	context.on('weberror', (e) => problems.push(`${e.page()?.url()}: ${e.error().message}`));
	return problems;
}

async function open(page: Page, path: string): Promise<void> {
	await page.goto(baseURL() + path, { waitUntil: 'networkidle' });
	await page.locator('h1').first().waitFor();
}

/** Pixels drawn on a canvas: zero when Chart.js did not run. */
function paintedPixels(page: Page): Promise<number> {
	return page.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
		const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
		let n = 0;
		for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
		return n;
	});
}

describe('the pages run under their policy', () => {
	it('login, home, a lesson, a quiz attempt, rank and the error pages of a cadre', async () => {
		const { username } = row<{ username: string }>(
			`SELECT u.username FROM users u JOIN offices o ON o.id = u.office_id
			 WHERE o.code = 'lanxian' AND u.role = 'cadre' AND u.active = 1 AND u.must_change_password = 0 ORDER BY u.username LIMIT 1`
		);
		const lesson = row<{ module: string; lesson: string }>(
			`SELECT m.slug AS module, l.slug AS lesson FROM lessons l JOIN modules m ON m.id = l.module_id
			 WHERE l.archived_at IS NULL AND m.archived_at IS NULL ORDER BY m.sort_order, l.sort_order LIMIT 1`
		);
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const problems = await watch(context);
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), username, 'Demo#2026');
		// Pages drawn in the browser after a click (client-side navigation), not only on the server.
		const tabs = page.getByRole('navigation', { name: '主导航' }).last();
		for (const tab of ['学习', '排行', '首页']) {
			await tabs.getByRole('link', { name: tab }).click();
			await page.waitForLoadState('networkidle');
		}
		await open(page, `/learn/${lesson.module}/${lesson.lesson}`);
		await open(page, '/rank');
		await open(page, `/quiz/module/${lesson.module}`);
		await page.getByRole('button', { name: /开始测验|再测一次|继续答题/ }).click();
		await page.waitForFunction(() => /\/quiz\/attempt\/\d+/.test(location.pathname));
		await page.getByText('第 1 / ').waitFor();
		// Style attributes rendered on the server (progress bars, app.html's wrapper) apply.
		expect(await page.evaluate(() => getComputedStyle(document.body.firstElementChild!).display)).toBe(
			'contents'
		);

		// A script slipped into the page (as an injected comment or name would be) does not run.
		const injected = await page.evaluate(() => {
			const script = document.createElement('script');
			script.textContent = 'window.injected = true';
			document.body.append(script);
			return (window as unknown as { injected?: boolean }).injected ?? false;
		});
		expect(injected).toBe(false);
		// Reported (by the browser and by the listener), and nothing else went wrong.
		await expect.poll(() => problems.some((p) => p.includes('CSP violation: script-src'))).toBe(true);
		expect(problems.splice(0).filter((p) => !p.includes('script-src'))).toEqual([]);

		await open(page, '/no-such-page');
		expect(await page.locator('h1').textContent()).toContain('页面不存在');
		// The bare error page (src/error.html) keeps its own style sheet under the closed policy.
		await page.goto(`${baseURL()}/live/999999/events`);
		expect(await page.locator('.code').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(200, 22, 29)');
		await snapshot(page, 'error-bare-phone');
		expect(problems).toEqual([]);
		await context.close();
	});

	it('the dashboard chart, the certificate (on screen and printed) and the check-in screen', async () => {
		const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
		const problems = await watch(context);
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'lishi.admin', 'Demo#2026');
		await open(page, '/office/dashboard');
		await page.locator('canvas').waitFor();
		await page.waitForFunction(() => document.querySelector('canvas')!.width > 0);
		await expect.poll(() => paintedPixels(page)).toBeGreaterThan(1000);

		const certificate = row<{ serial: string }>(
			`SELECT c.serial FROM certificates c JOIN users u ON u.id = c.user_id JOIN offices o ON o.id = u.office_id WHERE o.code = 'lishi' ORDER BY c.serial LIMIT 1`
		);
		await open(page, `/certificates/${certificate.serial}`);
		expect(await page.locator('svg path').count()).toBeGreaterThan(0);
		await page.emulateMedia({ media: 'print' });
		await snapshot(page, 'certificate-print-desktop');
		await page.emulateMedia({ media: 'screen' });

		// A session that is on now, so its screen shows the rotating code and its QR code.
		await open(page, '/office/study-sessions/new');
		const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
		await page.getByLabel('学习主题').fill('集中学习：安全策略检查（测试）');
		await page.getByLabel('日期').fill(today);
		await page.getByLabel('开始时间').fill('00:00');
		await page.getByLabel('结束时间').fill('23:59');
		await page.getByLabel('地点').fill('机关二楼会议室');
		await page.getByLabel('领学人').fill('办公室主任');
		await page.getByRole('button', { name: '安排并通知成员' }).click();
		await page.getByRole('link', { name: '打开签到屏幕' }).click();
		await page.locator('.qr svg').waitFor();
		expect(problems).toEqual([]);
		await context.close();
	});

	it('the live quiz: host screen and a phone kept up to date over the event stream', async () => {
		const { username } = row<{ username: string }>(
			`SELECT u.username FROM users u JOIN offices o ON o.id = u.office_id
			 WHERE o.code = 'lishi' AND u.role = 'cadre' AND u.active = 1 AND u.must_change_password = 0 ORDER BY u.username DESC LIMIT 1`
		);
		const hostContext = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
		const phoneContext = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const hostProblems = await watch(hostContext);
		const phoneProblems = await watch(phoneContext);
		const host = await hostContext.newPage();
		await loginThroughForm(host, baseURL(), 'lishi.admin', 'Demo#2026');
		await open(host, '/office/live');
		await host.getByLabel('题目来源').selectOption({ index: 1 });
		await host.getByLabel('题数').fill('1');
		await host.getByRole('button', { name: '创建并打开主持屏幕' }).click();
		await host.waitForFunction(() => /\/office\/live\/\d+$/.test(location.pathname));
		const pin = ((await host.locator('.pin strong').textContent()) ?? '').trim();

		const phone = await phoneContext.newPage();
		await loginThroughForm(phone, baseURL(), username, 'Demo#2026');
		await open(phone, '/live');
		await phone.getByLabel('屏幕上的 PIN 码').fill(pin);
		await phone.getByRole('button', { name: '加入' }).click();
		await phone.getByText('等待主持人开始').waitFor();
		await host.getByText('已加入 1 人').waitFor();
		await host.getByRole('button', { name: '开始第 1 题' }).click();
		await phone.locator('form[action="?/answer"]').waitFor();
		await host.getByRole('button', { name: '揭晓答案' }).click();
		await phone.getByText(/正确答案：/).waitFor();
		expect([...hostProblems, ...phoneProblems]).toEqual([]);
		await hostContext.close();
		await phoneContext.close();
	});

	it('every other page of each role', { timeout: 120_000 }, async () => {
		const problems: string[] = [];
		for (const [username, paths] of Object.entries(otherPages())) {
			const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
			const seen = await watch(context);
			const page = await context.newPage();
			if (username) await loginThroughForm(page, baseURL(), username, 'Demo#2026');
			for (const path of paths) {
				const response = await page.goto(baseURL() + path, { waitUntil: 'networkidle' });
				expect(response?.status(), path).toBe(200);
			}
			problems.push(...seen);
			await context.close();
		}
		expect(problems).toEqual([]);
	});
});
