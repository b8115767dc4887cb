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

/** Answers the question on screen rightly (the test reads the key from the database; the page never has it). */
export async function answerRightly(page: Page, s: { type: string; answer: unknown }): Promise<void> {
	const form = page.locator('form.question');
	if (s.type === 'truefalse') await form.getByLabel(s.answer ? '正确' : '错误', { exact: true }).check();
	else if (s.type === 'single')
		await form
			.locator('input[name=choice]')
			.nth(s.answer as number)
			.check();
	else if (s.type === 'multiple')
		for (const i of s.answer as number[]) await form.locator('input[name=choice]').nth(i).check();
	else
		for (const [i, accepted] of (s.answer as string[][]).entries())
			await form.locator('input[name=blank]').nth(i).fill(accepted[0]!);
}
