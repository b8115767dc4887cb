import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { appDatabase, baseURL, get, loginCookie } from './http';
import { PHONE, launchBrowser, loginThroughForm, snapshot } from './browser';

let browser: Browser;
beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

/** Gives a user fresh unread notices (the server's producers are covered by the server tests). */
function notices(username: string, list: { title: string; href: string | null }[]): number[] {
	const db = appDatabase();
	const { id: userId } = db.prepare('SELECT id FROM users WHERE username = ?').get(username) as {
		id: number;
	};
	db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(
		Date.now(),
		userId
	);
	const insert = db.prepare(
		`INSERT INTO notifications (user_id, kind, title, body, href, dedupe_key, created_at) VALUES (?, 'remind', ?, '', ?, ?, ?)`
	);
	const ids = list.map((n, i) =>
		Number(
			insert.run(userId, n.title, n.href, `e2e:${username}:${Date.now()}:${i}`, Date.now() + i)
				.lastInsertRowid
		)
	);
	db.close();
	return ids;
}

function readAt(id: number): number | null {
	const db = appDatabase();
	const row = db.prepare('SELECT read_at AS r FROM notifications WHERE id = ?').get(id) as {
		r: number | null;
	};
	db.close();
	return row.r;
}

describe('notifications clear one by one', () => {
	it('opening a notice from the list marks it read and goes where it points; the others stay unread', async () => {
		const [toTasks, toNothing, untouched] = notices('lishi.006', [
			{ title: '请抓紧学习《测试专题班》', href: '/tasks' },
			{ title: '系统通知（无链接）', href: null },
			{ title: '《测试专题班》将于 2026-12-31 截止', href: '/tasks' }
		]);
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
		const page = await context.newPage();
		await loginThroughForm(page, baseURL(), 'lishi.006', 'Demo#2026');
		await page.goto(`${baseURL()}/notifications`, { waitUntil: 'networkidle' });
		expect(await page.getByTestId('unread-count').textContent()).toBe('3');
		await snapshot(page, 'notifications-phone');

		await page.getByRole('link', { name: '请抓紧学习《测试专题班》', exact: true }).click();
		await page.waitForFunction(() => location.pathname === '/tasks');
		expect(await page.getByTestId('unread-count').textContent()).toBe('2');
		expect(readAt(toTasks!)).not.toBeNull();

		await page.goto(`${baseURL()}/notifications`, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: '系统通知（无链接）', exact: true }).click();
		await page.waitForFunction(() => location.pathname === '/notifications');
		await page.getByText('1 条未读').waitFor();
		expect(await page.getByTestId('unread-count').textContent()).toBe('1');
		expect(readAt(toNothing!)).not.toBeNull();
		expect(readAt(untouched!)).toBeNull();
		expect(await page.locator('li.unread').count()).toBe(1);
		await context.close();
	});

	it('works without JavaScript (a plain link: 303 to the target) and only for the notice’s owner', async () => {
		const [id] = notices('lishi.007', [{ title: '新的学习任务：《无脚本》', href: '/tasks' }]);
		const stranger = await get(`/notifications/${id}`, await loginCookie('lishi.006'));
		expect(stranger.status).toBe(404);
		expect(await stranger.text()).toContain('没有找到这条通知，或您无权查看');
		expect(readAt(id!)).toBeNull();
		const owner = await get(`/notifications/${id}`, await loginCookie('lishi.007'));
		expect(owner.status).toBe(303);
		expect(owner.headers.get('location')).toBe('/tasks');
		expect(readAt(id!)).not.toBeNull();
	});
});
