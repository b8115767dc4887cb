import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { appDatabase, baseURL, get, loginCookie, post } from './http';
import { DESKTOP, launchBrowser, loginThroughForm, PHONE, snapshot } from './browser';
import { CHINESE } from './site-map';

/** 数据备份: the sysadmin sees, starts and downloads backups; nobody else reaches them. */

const scratch = mkdtempSync(join(tmpdir(), 'xuexi-e2e-backups-'));
let admin: string;
let browser: Browser;

beforeAll(async () => {
	admin = await loginCookie('admin');
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
	rmSync(scratch, { recursive: true, force: true });
});

function count(sql: string, ...params: unknown[]): number {
	const db = appDatabase();
	try {
		return db
			.prepare(sql)
			.pluck()
			.get(...params) as number;
	} finally {
		db.close();
	}
}

describe('/admin/backups', () => {
	it('the sysadmin starts a backup without JavaScript, sees it listed and downloads a valid database', async () => {
		const page = await get('/admin/backups', admin);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('当前设置');
		expect(html).toContain('北京时间 03:30');
		expect(html).toContain('最近 14 份');
		expect(html).toContain('未开启');

		const before = count("SELECT count(*) FROM backups WHERE kind = 'manual'");
		const started = await post('/admin/backups', {}, admin);
		expect(started.status).toBe(200);
		const answer = await started.text();
		expect(answer).toMatch(/备份完成：app-\d{8}-\d{6}(-\d+)?\.db，完整性检查通过/);
		expect(count("SELECT count(*) FROM backups WHERE kind = 'manual'")).toBe(before + 1);
		const id = count("SELECT max(id) FROM backups WHERE kind = 'manual'");
		expect(
			count(
				"SELECT count(*) FROM audit_log WHERE action = 'backup.create' AND target_id = ? AND actor_user_id = (SELECT id FROM users WHERE username = 'admin')",
				String(id)
			)
		).toBe(1);

		// Listed with its size, integrity and who started it, and a download link.
		const listed = await (await get('/admin/backups', admin)).text();
		expect(listed).toContain(`/admin/backups/${id}/download`);
		expect(listed).toContain('手动 · 系统管理员');
		expect(listed).toMatch(/\d+(\.\d)? MB/);
		expect(listed).toContain('通过');

		const download = await get(`/admin/backups/${id}/download`, admin);
		expect(download.status).toBe(200);
		expect(download.headers.get('content-type')).toBe('application/vnd.sqlite3');
		expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="app-\d{8}-\d{6}/);
		const file = join(scratch, 'downloaded.db');
		writeFileSync(file, Buffer.from(await download.arrayBuffer()));
		const copy = new Database(file, { readonly: true });
		try {
			expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
			expect(copy.prepare("SELECT name FROM users WHERE username = 'admin'").pluck().get()).toBe(
				'系统管理员'
			);
		} finally {
			copy.close();
		}
		expect(
			count("SELECT count(*) FROM audit_log WHERE action = 'backup.download' AND target_id = ?", String(id))
		).toBe(1);

		// /healthz: the backup is ok, replication off, and no paths or messages.
		const health = (await (await get('/healthz')).json()) as Record<string, unknown>;
		expect(health).toEqual({
			status: 'ok',
			checks: { database: 'ok', backup: 'ok', replication: 'off' }
		});
	});

	it('a backup that does not exist, failed or was removed is a Chinese 404', async () => {
		const db = appDatabase();
		const failed = db
			.prepare(
				"INSERT INTO backups (kind, started_at, finished_at, error) VALUES ('manual', ?, ?, '备份失败：测试') RETURNING id"
			)
			.pluck()
			.get(Date.now() - 60_000, Date.now() - 59_000) as number;
		db.close();
		try {
			for (const path of [`/admin/backups/${failed}/download`, '/admin/backups/999999/download']) {
				const reply = await get(path, admin);
				expect(reply.status, path).toBe(404);
				expect(await reply.text()).toContain('没有找到这个备份');
			}
		} finally {
			const cleanup = appDatabase();
			cleanup.prepare('DELETE FROM backups WHERE id = ?').run(failed);
			cleanup.close();
		}
	});

	it('is refused to everyone but the sysadmin, and their post starts nothing', async () => {
		const id = count('SELECT max(id) FROM backups WHERE error IS NULL AND file_name IS NOT NULL');
		const before = count('SELECT count(*) FROM backups');
		for (const username of ['lishi.admin', 'dangxiao', 'lishi.cadre']) {
			const cookie = await loginCookie(username);
			for (const path of ['/admin/backups', `/admin/backups/${id}/download`]) {
				const reply = await get(path, cookie);
				expect(reply.status, `${username} ${path}`).toBe(403);
				expect(await reply.text()).toMatch(CHINESE);
			}
			expect((await post('/admin/backups', {}, cookie)).status).toBe(403);
		}
		const anonymous = await get(`/admin/backups/${id}/download`);
		expect(anonymous.status).toBe(303);
		expect(anonymous.headers.get('location')).toMatch(/^\/login/);
		expect(count('SELECT count(*) FROM backups')).toBe(before);
	});

	it('a failed scheduled backup shows on the sysadmin’s home and in /healthz, without its message', async () => {
		const db = appDatabase();
		const failed = db
			.prepare(
				`INSERT INTO backups (kind, scheduled_day, started_at, finished_at, error)
				VALUES ('scheduled', '2000-01-01', ?, ?, '备份失败：ENOSPC: no space left on device') RETURNING id`
			)
			.pluck()
			.get(Date.now() + 1000, Date.now() + 1000) as number;
		db.close();
		try {
			const health = await (await get('/healthz')).json();
			expect(health).toEqual({
				status: 'ok',
				checks: { database: 'ok', backup: 'failed', replication: 'off' }
			});
			// /admin lands on 单位; every 系统管理 page carries the warning, and so does 首页.
			const landing = await get('/admin', admin);
			expect(landing.headers.get('location')).toBe('/admin/offices');
			for (const path of ['/admin/offices', '/']) {
				const html = await (await get(path, admin)).text();
				expect(html, path).toContain('最近一次定时备份失败');
			}
			const backups = await (await get('/admin/backups', admin)).text();
			expect(backups).toContain('ENOSPC');

			const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
			const page = await context.newPage();
			await loginThroughForm(page, baseURL(), 'admin', 'Demo#2026');
			await page.goto(`${baseURL()}/admin/offices`, { waitUntil: 'networkidle' });
			await page.getByText('最近一次定时备份失败').waitFor();
			await snapshot(page, 'backups-warning-phone');
			await page.goto(`${baseURL()}/admin/backups`, { waitUntil: 'networkidle' });
			await page.getByText('ENOSPC').first().waitFor();
			await page.screenshot({ path: 'test-results/backups-failed-phone-full.png', fullPage: true });
			await context.close();
		} finally {
			const cleanup = appDatabase();
			cleanup.prepare('DELETE FROM backups WHERE id = ?').run(failed);
			cleanup.close();
		}
		expect(((await (await get('/healthz')).json()) as { checks: { backup: string } }).checks.backup).toBe(
			'ok'
		);
	});

	it('in the browser, on a phone and a desktop: 立即备份 adds a row at the top', async () => {
		for (const [viewport, name] of [
			[PHONE, 'phone'],
			[DESKTOP, 'desktop']
		] as const) {
			const context = await browser.newContext({ viewport, locale: 'zh-CN' });
			const page = await context.newPage();
			await loginThroughForm(page, baseURL(), 'admin', 'Demo#2026');
			await page.goto(`${baseURL()}/admin/backups`, { waitUntil: 'networkidle' });
			const rows = await page.locator('table tbody tr').count();
			await page.getByRole('button', { name: '立即备份' }).click();
			await page.getByRole('status').filter({ hasText: '备份完成' }).waitFor();
			expect(await page.locator('table tbody tr').count()).toBe(rows + 1);
			await snapshot(page, `backups-${name}`);
			await page.screenshot({ path: `test-results/backups-${name}-full.png`, fullPage: true });
			await context.close();
		}
	});
});
