import { describe, expect, it } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { get, loginCookie, post } from './http';

/**
 * Every page and endpoint under the admin route group, found on disk so a new
 * admin page is covered the day it is added. Dynamic segments get a real id.
 */
function adminRoutes(): string[] {
	const root = 'src/routes/(admin)';
	const found = new Set<string>();
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else if (/^\+(page\.svelte|page\.server\.ts|server\.ts)$/.test(name)) {
				const route = '/' + relative(root, dir).split('/').filter((s) => !/^\(.*\)$/.test(s)).join('/');
				found.add(route);
			}
		}
	};
	walk(root);
	// Ids from the demo seed: user 5 is lishi.cadre (in lishi.admin's office), office 2 is 离石区.
	return [...found]
		.map((r) => r.replace('[format]', 'xlsx').replace('/import/[id]', '/import/not-a-real-import').replace('/office/members/[id]', '/office/members/5').replace('[id]', '1').replace('[slug]', 'rule-of-law').replace('[officeId]', '2'))
		.sort();
}

const ROUTES = adminRoutes();
const ACCOUNTS = { cadre: 'lishi.cadre', school_admin: 'dangxiao', office_admin: 'lishi.admin', sysadmin: 'admin' } as const;
type Who = keyof typeof ACCOUNTS;

function allowed(route: string, who: Who): boolean {
	if (route.startsWith('/admin')) return who === 'sysadmin';
	if (route.startsWith('/office')) return who === 'office_admin' || who === 'sysadmin';
	if (route.startsWith('/school')) return who === 'school_admin' || who === 'sysadmin';
	throw new Error(`no expectation for ${route}`);
}

describe('the role guard on every admin route', () => {
	it('finds the admin routes', () => {
		expect(ROUTES).toContain('/admin/users');
		expect(ROUTES).toContain('/office/members/import');
		expect(ROUTES.length).toBeGreaterThanOrEqual(12);
	});

	it('sends anonymous visitors to login', async () => {
		for (const route of ROUTES) {
			const res = await get(route);
			expect(res.status, route).toBe(303);
			expect(res.headers.get('location'), route).toMatch(/^\/login\?redirectTo=/);
		}
	});

	for (const who of Object.keys(ACCOUNTS) as Who[]) {
		it(`lets ${who} in only where the role belongs, with a Chinese 403 elsewhere`, async () => {
			const cookie = await loginCookie(ACCOUNTS[who]);
			for (const route of ROUTES) {
				const res = await get(route, cookie);
				if (allowed(route, who)) {
					expect([200, 303], `${who} ${route}`).toContain(res.status);
					if (res.status === 303) expect(res.headers.get('location'), route).not.toMatch(/login/);
				} else {
					expect(res.status, `${who} ${route}`).toBe(403);
					expect(await res.text()).toContain('您没有权限访问此页面');
				}
			}
		});
	}

	it('refuses form actions of a forbidden area too, not only pages', async () => {
		const cookie = await loginCookie('lishi.cadre');
		const res = await post('/admin/offices', { name: '冒名单位', code: 'fake' }, cookie);
		expect(res.status).toBe(403);
		const sysadmin = await loginCookie('admin');
		expect(await (await get('/admin/offices', sysadmin)).text()).not.toContain('冒名单位');
	});
});

describe('office scope over HTTP', () => {
	it("an office admin cannot deactivate or reset a sibling office's member", async () => {
		const lishiAdmin = await loginCookie('lishi.admin');
		const sysadmin = await loginCookie('admin');
		const list = await (await get('/admin/users?q=xiaoyi.002', sysadmin)).text();
		const id = /\/admin\/users\/(\d+)/.exec(list)?.[1];
		expect(id).toBeDefined();
		for (const action of ['deactivate', 'reset']) {
			const res = await post(`/office/members?/${action}`, { userId: id! }, lishiAdmin);
			expect(res.status, action).toBe(400);
			expect(await res.text()).toContain('不在您的管理范围内');
		}
		// The sibling's member can still sign in with the old password.
		expect((await post('/login', { username: 'xiaoyi.002', password: 'Demo#2026' })).status).toBe(303);
	});
});
