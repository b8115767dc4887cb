import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';

export const CHROMIUM_PATH = '/usr/bin/chromium';

// The system Chromium; the flags keep it off the (closed) network and quiet.
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM_PATH,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			...extraArgs
		]
	});
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 860 };

/** Screenshots land in test-results/ for people to look at; tests never compare pixels. */
export async function snapshot(page: Page, name: string): Promise<void> {
	mkdirSync('test-results', { recursive: true });
	await page.screenshot({ path: `test-results/${name}.png`, fullPage: false });
}

export async function loginThroughForm(
	page: Page,
	baseURL: string,
	username: string,
	password: string
): Promise<void> {
	// networkidle: the page is hydrated, so the click goes through use:enhance every time.
	await page.goto(`${baseURL}/login`, { waitUntil: 'networkidle' });
	await page.getByLabel('登录名').fill(username);
	await page.getByLabel('密码').fill(password);
	await page.getByRole('button', { name: '登录' }).click();
	// A client-side navigation fires no load event; poll the location instead of waitForURL.
	await page.waitForFunction(() => !location.pathname.startsWith('/login'));
	await page.locator('main h1').waitFor();
}
