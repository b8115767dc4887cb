import { describe, expect, it } from 'vitest';
import { appDatabase, get, loginCookie } from './http';
import { discoverRoutes } from './site-map';

/** Every route with a parameter in its path, found on disk so a new one is covered the day it is added. */
function dynamicRoutes(): string[] {
	return [
		...new Set(
			discoverRoutes()
				.filter((r) => r.params.length > 0)
				.map((r) => r.id)
		)
	].sort();
}

// Undecodable escapes, a lone %, markup, a NUL, numbers no id can be, and a very long segment.
const MALFORMED = [
	'%',
	'%E0%A4%A',
	'%C0%AE',
	'abc',
	'1e400',
	'-1',
	'99999999999999999999',
	'%3Cscript%3E',
	'%00',
	'A'.repeat(2000)
];
const WHO: [string, string | null][] = [
	['/admin', 'admin'],
	['/office', 'lishi.admin'],
	['/school', 'dangxiao'],
	['/verify', null]
];

describe('a malformed address never breaks the server', () => {
	it('each parameter of each route, given malformed values, is answered 4xx in Chinese, never 5xx or “服务器出了点问题”', async () => {
		const cookies = new Map<string, string>();
		const cookieOf = async (username: string) =>
			cookies.get(username) ?? cookies.set(username, await loginCookie(username)).get(username)!;
		const failures: string[] = [];
		const routes = dynamicRoutes();
		expect(routes.length).toBeGreaterThan(20);
		for (const route of routes) {
			const rule = WHO.find(([prefix]) => route.startsWith(prefix));
			const username = rule ? rule[1] : 'lishi.cadre';
			const cookie = username ? await cookieOf(username) : undefined;
			for (const value of MALFORMED) {
				const path = route.replace(/\[[^\]]+\]/g, value);
				const res = await get(path, cookie);
				const body = res.headers.get('content-type')?.includes('event-stream') ? '' : await res.text();
				if (
					res.status >= 500 ||
					body.includes('服务器出了点问题') ||
					(res.status >= 400 && !/[\u4e00-\u9fff]/.test(body))
				) {
					failures.push(`${res.status} ${path.slice(0, 80)}`);
				}
			}
		}
		expect(failures).toEqual([]);
	});
});

describe('an id or format no route takes is 页面不存在', () => {
	it('a path id that is no positive integer, or an export format other than xlsx and csv, matches no route: a Chinese 404', async () => {
		const admin = await loginCookie('lishi.admin');
		const cadre = await loginCookie('lishi.cadre');
		for (const [path, cookie] of [
			['/office/members/abc/edit', admin],
			['/office/live/0', admin],
			['/office/dashboard/export.pdf', admin],
			['/office/members/import/template.xls', admin],
			['/quiz/attempt/1e3', cadre],
			['/notifications/-1', cadre],
			['/reflections/12345678901234567', cadre]
		] as const) {
			const res = await get(path, cookie);
			expect(res.status, path).toBe(404);
			expect(await res.text(), path).toContain('页面不存在');
		}
	});
});

describe('a malformed query parameter never breaks a list', () => {
	it('page numbers no list can have (huge, fractional, infinite, text) show a page, never a 500', async () => {
		const lists: [string, string][] = [
			['lishi.cadre', '/quiz/history'],
			['lishi.admin', '/rank'],
			['admin', '/admin/users'],
			['admin', '/admin/audit'],
			['lishi.admin', '/office/members'],
			['lishi.admin', '/office/dashboard'],
			['lishi.admin', '/office/audit'],
			['lishi.cadre', '/search?q=学习']
		];
		const failures: string[] = [];
		for (const [username, path] of lists) {
			const cookie = await loginCookie(username);
			for (const value of [
				'1e400',
				'99999999999999999999',
				'1.5',
				'-1',
				'abc',
				'%E0%A4%A',
				'%00',
				'9'.repeat(400)
			]) {
				const res = await get(`${path}${path.includes('?') ? '&' : '?'}page=${value}`, cookie);
				const body = await res.text();
				if (res.status >= 500 || body.includes('服务器出了点问题'))
					failures.push(`${res.status} ${path} page=${value.slice(0, 20)}`);
			}
		}
		expect(failures).toEqual([]);
	});
});

describe('certificate verification refuses what cannot be a serial', () => {
	it('an undecodable, a scripted or an overlong serial is a Chinese 400 page with the lookup form; a well-formed unknown one is 404', async () => {
		for (const path of [
			'/verify/%E0%A4%A',
			'/verify/%3Cscript%3Ealert(1)%3C%2Fscript%3E',
			`/verify/${'LL2026-'.repeat(400)}`,
			'/verify/%'
		]) {
			const res = await get(path);
			expect(res.status, path).toBe(400);
			const html = await res.text();
			expect(html, path).toContain('证书编号格式不正确');
			expect(html, path).not.toContain('服务器出了点问题');
			expect(html, path).not.toContain('<script>alert');
		}
		const unknown = await get('/verify/LL2026-AAAA-BBBB-CCCC');
		expect(unknown.status).toBe(404);
		expect(await unknown.text()).toContain('没有找到编号为 LL2026-AAAA-BBBB-CCCC 的证书');
		// Typed lowercase with spaces it still finds a real certificate.
		const db = appDatabase();
		const { serial } = db.prepare('SELECT serial FROM certificates LIMIT 1').get() as { serial: string };
		db.close();
		const typed = await get(`/verify?serial=${encodeURIComponent(` ${serial.toLowerCase()} `)}`);
		expect(typed.status).toBe(303);
		expect(typed.headers.get('location')).toBe(`/verify/${serial}`);
		expect((await get(`/verify/${serial.toLowerCase()}`)).status).toBe(200);
		// The lookup form says what is wrong beside the field.
		const wrong = await (await get(`/verify?serial=${encodeURIComponent('<b>12</b>')}`)).text();
		expect(wrong).toContain('证书编号格式不正确，应形如 LL2026-ABCD-EFGH-IJKL');
		expect(wrong).not.toContain('<b>12</b>');
	});
});
