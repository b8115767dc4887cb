import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { appDatabase, baseURL, get, loginCookie, post } from './http';
import { DESKTOP, launchBrowser, PHONE, snapshot } from './browser';
import { row } from './pages';

/**
 * 接口令牌 and GET /api/figures: the sysadmin creates a token on /admin/tokens (without JavaScript
 * too), the endpoint answers only to a token in use — no token, a wrong one, a session or a revoked
 * one get a Chinese 401 — and the national script reads the instance with it.
 */

const TOKEN = /xxyd_[a-z2-7]{39}/;

let admin: string;
let browser: Browser;
let dir: string;

beforeAll(async () => {
	admin = await loginCookie('admin');
	browser = await launchBrowser();
	dir = mkdtempSync(join(tmpdir(), 'xuexi-national-'));
});
afterAll(async () => {
	await browser?.close();
	rmSync(dir, { recursive: true, force: true });
});

function figures(token?: string, query = '') {
	return fetch(`${baseURL()}/api/figures${query}`, {
		headers: token === undefined ? {} : { authorization: `Bearer ${token}` }
	});
}

async function createToken(name: string): Promise<{ id: number; token: string }> {
	const res = await post('/admin/tokens?/create', { name }, admin);
	expect(res.status).toBe(200);
	const token = TOKEN.exec(await res.text())?.[0];
	if (!token) throw new Error('the page did not show the new token');
	const { id } = row<{ id: number }>('SELECT max(id) AS id FROM api_tokens WHERE name = ?', name);
	return { id, token };
}

async function refused(res: Response, status = 401): Promise<string> {
	expect(res.status).toBe(status);
	expect(res.headers.get('content-type')).toContain('application/json');
	expect(res.headers.get('cache-control')).toBe('no-store');
	const body = (await res.json()) as { message: string; offices?: unknown };
	expect(body.message).toMatch(/[\u4e00-\u9fff]/);
	expect(body.offices).toBeUndefined();
	return body.message;
}

describe('GET /api/figures', () => {
	it('answers no token, a wrong one, a session or a revoked one with a Chinese 401, and a token in use with the figures', async () => {
		expect(await refused(await figures())).toContain('缺少接口令牌');
		expect((await figures()).headers.get('www-authenticate')).toMatch(/^Bearer /);
		expect(await refused(await figures('xxyd_' + 'a'.repeat(39)))).toContain('无效或已被吊销');
		// A signed-in sysadmin's session opens pages, not this.
		await refused(await get('/api/figures', admin));
		// Another scheme, or the token in the query string, is no Bearer token.
		const { id, token } = await createToken('全国汇总测试');
		await refused(
			await fetch(`${baseURL()}/api/figures`, { headers: { authorization: `Basic ${btoa(token)}` } })
		);
		await refused(await fetch(`${baseURL()}/api/figures?token=${token}`));
		expect(
			row<{ last: number | null }>('SELECT last_used_at AS last FROM api_tokens WHERE id = ?', id).last
		).toBeNull();

		const before = Date.now();
		const res = await figures(token, '?period=all');
		expect(res.status).toBe(200);
		expect(res.headers.get('cache-control')).toBe('no-store');
		const body = (await res.json()) as {
			instance: string;
			period: string;
			from: string | null;
			offices: {
				code: string;
				name: string;
				parentCode: string | null;
				members: number;
				participants: number;
				points: number;
			}[];
		};
		const root = row<{ name: string }>(
			'SELECT name FROM offices WHERE parent_id IS NULL ORDER BY id LIMIT 1'
		);
		expect(body).toMatchObject({ instance: root.name, period: 'all', from: null, to: null });
		// Every office once, counts as the database holds them (离石区 counted by hand here).
		expect(body.offices.length).toBe(row<{ n: number }>('SELECT count(*) AS n FROM offices').n);
		const lishi = body.offices.find((o) => o.code === 'lishi')!;
		const expected = row<{ members: number; participants: number; points: number; parent: string }>(
			`SELECT (SELECT count(*) FROM users WHERE office_id = o.id AND active = 1 AND role IN ('cadre', 'office_admin')) AS members,
				(SELECT count(*) FROM points_period WHERE office_id = o.id AND member = 1 AND period = 'all' AND points > 0) AS participants,
				(SELECT coalesce(sum(points), 0) FROM points_period WHERE office_id = o.id AND member = 1 AND period = 'all') AS points,
				(SELECT code FROM offices WHERE id = o.parent_id) AS parent
			FROM offices o WHERE code = 'lishi'`
		);
		const { parent, ...counts } = expected;
		expect(lishi).toMatchObject({ ...counts, parentCode: parent, name: '离石区人大常委会' });
		expect(lishi.members).toBeGreaterThan(0);
		expect(lishi.participants).toBeGreaterThan(0);
		// No person's name or login in the answer.
		const someone = row<{ name: string; username: string }>(
			"SELECT name, username FROM users WHERE username = 'lishi.cadre'"
		);
		const text = JSON.stringify(body);
		expect(text).not.toContain(someone.name);
		expect(text).not.toContain(someone.username);
		expect(
			row<{ last: number }>('SELECT last_used_at AS last FROM api_tokens WHERE id = ?', id).last
		).toBeGreaterThanOrEqual(before - 1000);

		// The period is checked (after the token: without one, nothing is said about it).
		expect(await refused(await figures(token, '?period=day'), 400)).toContain('week（本周）');
		await refused(await figures(undefined, '?period=day'));
		expect((await (await figures(token)).json()).period).toBe('month');

		// Revoked, it opens nothing.
		const revoke = await post('/admin/tokens?/revoke', { tokenId: String(id) }, admin);
		expect(revoke.status).toBe(200);
		expect(await revoke.text()).toContain('已吊销令牌“全国汇总测试”');
		expect(await refused(await figures(token))).toContain('无效或已被吊销');
		const logged = appDatabase()
			.prepare(
				"SELECT action, summary FROM audit_log WHERE target_type = 'token' AND target_id = ? ORDER BY id"
			)
			.all(String(id));
		expect(logged).toEqual([
			{ action: 'token.create', summary: '新建接口令牌“全国汇总测试”' },
			{ action: 'token.revoke', summary: '吊销接口令牌“全国汇总测试”' }
		]);
	});

	it('is read-only: no other method is taken', async () => {
		for (const method of ['PUT', 'DELETE', 'PATCH'])
			expect((await fetch(`${baseURL()}/api/figures`, { method })).status, method).toBe(405);
	});
});

describe('npm run national', () => {
	function national(...args: string[]) {
		return spawnSync('npx', ['tsx', 'scripts/national.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
	}

	it('reads each instance with its token, prints the table and writes the workbook; a refused token writes nothing', async () => {
		const { id, token } = await createToken('汇总脚本测试');
		const out = join(dir, 'national.xlsx');
		// The same instance twice, under two names: the nation is twice it.
		const run = national(
			`甲=${baseURL()}/=${token}`,
			`乙=${baseURL()}=${token}`,
			'--period',
			'all',
			'--out',
			out
		);
		expect(run.stderr).toBe('');
		expect(run.status).toBe(0);
		const lines = run.stdout.split('\n');
		expect(lines[0]).toBe('全国汇总 · 统计周期：全部（全部时间）');
		const members = row<{ n: number }>(
			"SELECT count(*) AS n FROM users WHERE active = 1 AND office_id IS NOT NULL AND role IN ('cadre', 'office_admin')"
		).n;
		const cells = (label: string) => lines.find((l) => l.startsWith(`${label} `))!.split(/\s{2,}/);
		expect(cells('甲')[3]).toBe(String(members));
		expect(cells('全国')).toContain(String(2 * members));
		expect(run.stdout).toContain(`已写入 ${out}`);

		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.readFile(out);
		const summary = workbook.getWorksheet('汇总')!;
		// Heading lines, a blank row, the header, 甲, 乙 and 全国.
		expect(summary.getRow(summary.rowCount - 3).getCell(4).value).toBe('在用成员');
		expect(summary.getRow(summary.rowCount).getCell(1).value).toBe('全国');
		expect(summary.getRow(summary.rowCount).getCell(4).value).toBe(2 * members);
		const offices = row<{ n: number }>('SELECT count(*) AS n FROM offices').n;
		expect(workbook.getWorksheet('各单位')!.rowCount).toBe(4 + 2 * offices);

		await post('/admin/tokens?/revoke', { tokenId: String(id) }, admin);
		const again = join(dir, 'again.xlsx');
		const refusedRun = national(`甲=${baseURL()}=${token}`, '--out', again);
		expect(refusedRun.status).toBe(1);
		expect(refusedRun.stderr).toContain('未能读取全部省份');
		expect(refusedRun.stderr).toContain('甲：接口令牌无效或已被吊销');
		expect(existsSync(again)).toBe(false);

		const usage = national('山西');
		expect(usage.status).toBe(1);
		expect(usage.stderr).toContain('名称=地址=令牌');
	});
});

describe('/admin/tokens', () => {
	it('creates a token shown once and revokes it after a confirmation, without JavaScript', async () => {
		const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', javaScriptEnabled: false });
		const [name, value] = admin.split('=') as [string, string];
		await context.addCookies([{ name, value, url: baseURL() }]);
		const page = await context.newPage();
		await page.goto(`${baseURL()}/admin/tokens`);
		await page.getByRole('heading', { name: '接口令牌', level: 1 }).waitFor();

		// A name is required: said beside the field.
		await page.getByRole('button', { name: '创建令牌' }).click();
		await page.getByText('请填写令牌名称').waitFor();

		await page.getByLabel('令牌名称').fill('省人大汇总（手机）');
		await page.getByRole('button', { name: '创建令牌' }).click();
		const shown = page.locator('textarea.token');
		await shown.waitFor();
		const token = await shown.inputValue();
		expect(token).toMatch(TOKEN);
		expect(await page.getByText('它只显示这一次').count()).toBe(1);
		expect(await page.getByText('请选中上面的令牌后复制').count()).toBe(1);
		expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
		await snapshot(page, 'admin-tokens-created-phone');
		expect((await figures(token)).status).toBe(200);

		// Shown once: the list has its name and use, never the token again.
		await page.goto(`${baseURL()}/admin/tokens`);
		expect(await page.content()).not.toContain(token);
		const tokenRow = page.locator('tbody tr', { hasText: '省人大汇总（手机）' });
		expect(await tokenRow.locator('td[data-label="最近使用"]').textContent()).not.toContain('从未使用');
		await tokenRow.getByText('吊销', { exact: true }).click();
		await snapshot(page, 'admin-tokens-revoke-phone');
		await tokenRow.getByRole('button', { name: '确认吊销' }).click();
		await page.getByText('已吊销令牌“省人大汇总（手机）”').waitFor();
		expect(
			await page.locator('tbody tr', { hasText: '省人大汇总（手机）' }).locator('.badge').textContent()
		).toBe('已吊销');
		expect((await figures(token)).status).toBe(401);
		await context.close();
	});

	it('offers to copy the new token where JavaScript runs (desktop)', async () => {
		const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
		await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL() });
		const [name, value] = admin.split('=') as [string, string];
		await context.addCookies([{ name, value, url: baseURL() }]);
		const page = await context.newPage();
		await page.goto(`${baseURL()}/admin/tokens`, { waitUntil: 'networkidle' });
		await page.getByLabel('令牌名称').fill('省人大汇总（电脑）');
		await page.getByRole('button', { name: '创建令牌' }).click();
		await page.locator('textarea.token').waitFor();
		const token = await page.locator('textarea.token').inputValue();
		await page.getByRole('button', { name: '复制令牌' }).click();
		await page.getByRole('button', { name: '已复制' }).waitFor();
		expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
		await snapshot(page, 'admin-tokens-created-desktop');
		await context.close();
	});
});
