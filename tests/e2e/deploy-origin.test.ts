import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { appDatabase, baseURL } from './http';
import { DESKTOP, PHONE, launchBrowser, snapshot } from './browser';

// An office intranet serves the app over plain HTTP, reached by IP or a LAN host name, with no
// ORIGIN configured (the e2e server runs without one, as `npm start` does).
const port = () => new URL(baseURL()).port;
const LAN_HOST = 'xuexi-lan.test';

interface RawResponse {
	status: number;
	location?: string;
	cookies: string[];
	body: string;
}

/** A login POST with a Host header of our choosing (fetch may not set Host). */
function postLogin(
	host: string,
	headers: Record<string, string>,
	address = '127.0.0.1'
): Promise<RawResponse> {
	const body = new URLSearchParams({ username: 'lishi.cadre', password: 'Demo#2026' }).toString();
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			{
				host: address,
				port: port(),
				method: 'POST',
				path: '/login',
				headers: {
					host,
					'content-type': 'application/x-www-form-urlencoded',
					accept: 'text/html',
					...headers
				}
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk) => (text += chunk));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						location: res.headers.location,
						cookies: res.headers['set-cookie'] ?? [],
						body: text
					})
				);
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}

const sessionCookieOf = (r: RawResponse) => r.cookies.find((c) => c.startsWith('session='));

describe('plain HTTP by IP or LAN name, without ORIGIN', () => {
	it('logs in at 127.0.0.1 and at another loopback address, with a cookie that is not Secure over HTTP', async () => {
		for (const address of ['127.0.0.1', '127.0.0.2']) {
			const host = `${address}:${port()}`;
			const res = await postLogin(host, { origin: `http://${host}` }, address);
			expect(res.status).toBe(303);
			expect(res.location).toBe('/');
			const cookie = sessionCookieOf(res);
			expect(cookie).toBeDefined();
			expect(cookie).not.toMatch(/;\s*Secure/i);
		}
	});

	it('logs in under a LAN host name', async () => {
		const host = `${LAN_HOST}:${port()}`;
		const res = await postLogin(host, { origin: `http://${host}` });
		expect(res.status).toBe(303);
		expect(sessionCookieOf(res)).toBeDefined();
	});

	it('still refuses a cross-site form post', async () => {
		const host = `127.0.0.1:${port()}`;
		for (const origin of ['http://evil.example', `https://${host}`, `http://${LAN_HOST}:${port()}`]) {
			const res = await postLogin(host, { origin });
			expect(res.status).toBe(403);
			expect(sessionCookieOf(res)).toBeUndefined();
		}
	});

	it('does not let the client claim HTTPS by header', async () => {
		const host = `127.0.0.1:${port()}`;
		const res = await postLogin(host, {
			origin: `http://${host}`,
			'x-forwarded-proto': 'https',
			'x-xuexi-scheme': 'https'
		});
		expect(res.status).toBe(303);
		expect(sessionCookieOf(res)).not.toMatch(/;\s*Secure/i);
	});
});

describe('a browser on another desk', () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchBrowser([`--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`]);
	});
	afterAll(() => browser?.close());

	const lanURL = () => `http://${LAN_HOST}:${port()}`;

	it('logs in without JavaScript and with it, and stays logged in', async () => {
		for (const javaScriptEnabled of [false, true]) {
			const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', javaScriptEnabled });
			const page = await context.newPage();
			await page.goto(`${lanURL()}/login`, { waitUntil: javaScriptEnabled ? 'networkidle' : 'load' });
			await page.getByLabel('登录名').fill('lishi.cadre');
			await page.getByLabel('密码').fill('Demo#2026');
			await page.getByRole('button', { name: '登录' }).click();
			await page.waitForFunction(() => !location.pathname.startsWith('/login'));
			await page.goto(`${lanURL()}/me`);
			expect(new URL(page.url()).pathname).toBe('/me');
			if (javaScriptEnabled) await snapshot(page, 'lan-login-phone');
			await context.close();
		}
	});

	it('puts the host it was reached by into certificate links', async () => {
		const db = appDatabase();
		const owner = db
			.prepare(
				`SELECT c.serial, u.username FROM certificates c JOIN users u ON u.id = c.user_id
				 WHERE u.active = 1 AND u.must_change_password = 0 ORDER BY c.serial LIMIT 1`
			)
			.get() as { serial: string; username: string };
		db.close();
		const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
		const page = await context.newPage();
		await page.goto(`${lanURL()}/login`, { waitUntil: 'networkidle' });
		await page.getByLabel('登录名').fill(owner.username);
		await page.getByLabel('密码').fill('Demo#2026');
		await page.getByRole('button', { name: '登录' }).click();
		await page.waitForFunction(() => !location.pathname.startsWith('/login'));
		await page.goto(`${lanURL()}/certificates/${owner.serial}`);
		expect(await page.textContent('body')).toContain(`${lanURL()}/verify/${owner.serial}`);
		await context.close();
	});
});
