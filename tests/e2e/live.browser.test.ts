import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { appDatabase, baseURL, loginCookie } from './http';
import { DESKTOP, PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

/** Reads the first event of a live quiz's event stream (what a reconnecting phone receives). */
async function firstEvent(liveId: number, cookie: string): Promise<{ phase: string; index: number; question: { stem: string } | null }> {
	const controller = new AbortController();
	const res = await fetch(`${baseURL()}/live/${liveId}/events`, { headers: { cookie }, signal: controller.signal });
	expect(res.headers.get('content-type')).toContain('text/event-stream');
	const reader = res.body!.getReader();
	let text = '';
	while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
	controller.abort();
	return JSON.parse(text.slice(text.indexOf('data: ') + 6, text.indexOf('\n\n')));
}

async function answerFirstOption(page: Page) {
	const form = page.locator('form[action="?/answer"]');
	await form.waitFor();
	const tf = form.getByLabel('正确', { exact: true });
	if (await tf.count()) await tf.check();
	else if (await form.locator('input[name=choice]').count()) await form.locator('input[name=choice]').first().check();
	else await form.locator('input[name=blank]').first().fill('不知道');
	await form.getByRole('button', { name: '提交答案' }).click();
}

describe('live quiz in the meeting room', () => {
	it('a host screen and two phones: join with the PIN, answer in real time, reveal, rank; a phone reconnects to the current question', async () => {
		const hostCtx = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
		const host = await hostCtx.newPage();
		await loginThroughForm(host, baseURL(), 'lishi.admin', 'Demo#2026');
		await host.goto(`${baseURL()}/office/live`, { waitUntil: 'networkidle' });
		await host.getByLabel('题目来源').selectOption({ index: 1 });
		await host.getByLabel('题数').fill('2');
		await host.getByRole('button', { name: '创建并打开主持屏幕' }).click();
		await host.waitForFunction(() => /\/office\/live\/\d+$/.test(location.pathname));
		const liveId = Number(/\/office\/live\/(\d+)/.exec(host.url())![1]);
		const pin = ((await host.locator('.pin strong').textContent()) ?? '').trim();
		expect(pin).toMatch(/^\d{6}$/);

		const phones: Page[] = [];
		for (const username of ['lishi.cadre', 'lishi.006']) {
			const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
			const phone = await ctx.newPage();
			await loginThroughForm(phone, baseURL(), username, 'Demo#2026');
			await phone.goto(`${baseURL()}/live`, { waitUntil: 'networkidle' });
			await phone.getByLabel('屏幕上的 PIN 码').fill(pin);
			await phone.getByRole('button', { name: '加入' }).click();
			await phone.getByText('等待主持人开始').waitFor();
			phones.push(phone);
		}
		// The host screen counts them as they join (Server-Sent Events).
		await host.getByText('已加入 2 人').waitFor();
		// Someone from another office cannot join.
		const outsider = await loginCookie('xiaoyi.004');
		const refused = await fetch(`${baseURL()}/live`, { method: 'POST', redirect: 'manual', headers: { cookie: outsider, origin: baseURL(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ pin }) });
		expect(await refused.text()).toContain('只面向本单位成员');

		await host.getByRole('button', { name: '开始第 1 题' }).click();
		for (const phone of phones) await answerFirstOption(phone);
		await host.getByText('已作答 2 / 2 人').waitFor();
		await snapshot(host, 'live-host-desktop');
		await host.getByRole('button', { name: '揭晓答案' }).click();
		await host.getByText(/正确答案：/).waitFor();
		await phones[0]!.getByText(/正确答案：/).waitFor();
		await snapshot(phones[0]!, 'live-phone');

		await host.getByRole('button', { name: '下一题' }).click();
		await host.getByText('第 2 / 2 题').first().waitFor();
		// A phone that lost its connection gets the current question when it reconnects.
		const event = await firstEvent(liveId, await loginCookie('lishi.006'));
		expect(event).toMatchObject({ phase: 'question', index: 1 });
		expect(event.question?.stem.length).toBeGreaterThan(0);
		expect(JSON.stringify(event)).not.toMatch(/"answer"|explanation/);

		await host.getByRole('button', { name: '揭晓答案' }).click();
		await host.getByRole('button', { name: '结束并公布排名' }).click();
		await host.getByRole('heading', { name: '最终排名' }).waitFor();
		expect(await host.locator('.rank li').count()).toBe(2);
		await phones[1]!.getByText('答题结束').waitFor();
		const db = appDatabase();
		const ranks = db.prepare('SELECT count(*) AS n FROM live_players WHERE live_id = ? AND rank IS NOT NULL').get(liveId) as { n: number };
		db.close();
		expect(ranks.n).toBe(2);
		const csv = await (await fetch(`${baseURL()}/office/live/${liveId}/results.csv`, { headers: { cookie: await loginCookie('lishi.admin') } })).text();
		expect(csv).toContain('名次,姓名,登录名,答对题数,得分');
		await hostCtx.close();
	});
});
