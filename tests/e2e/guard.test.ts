import { describe, expect, it } from 'vitest';
import { appDatabase, get, loginCookie, post } from './http';
import { discoverRoutes } from './site-map';

/**
 * Every page and endpoint under the admin route group, found on disk so a new
 * admin page is covered the day it is added. Dynamic segments get a real id.
 */
function adminRoutes(): string[] {
	const lishiPlace = placeOf('lishi');
	const found = new Set(
		discoverRoutes()
			.map((r) => r.id)
			.filter((id) => /^\/(admin|office|school)(\/|$)/.test(id))
	);
	return [...found]
		.map((r) =>
			r
				.replace('[...rest]', 'new')
				.replace('[format]', 'xlsx')
				.replace('/import/[id]', `/import/${'a'.repeat(24)}`)
				.replace('/office/members/[id]', '/office/members/5')
				.replace('/office/outreach/places/[id]', `/office/outreach/places/${lishiPlace}`)
				.replace('[id]', '1')
				.replace('[slug]', 'rule-of-law')
				.replace('[officeId]', '2')
		)
		.sort();
}

/** A 宣讲 place of the office (places of other offices are 404 to its admin, as they should be). */
function placeOf(officeCode: string): number {
	const db = appDatabase();
	try {
		return db
			.prepare(
				'SELECT p.id FROM outreach_places p JOIN offices o ON o.id = p.office_id WHERE o.code = ? ORDER BY p.id LIMIT 1'
			)
			.pluck()
			.get(officeCode) as number;
	} finally {
		db.close();
	}
}

const ROUTES = adminRoutes();
const ACCOUNTS = {
	cadre: 'lishi.cadre',
	school_admin: 'dangxiao',
	office_admin: 'lishi.admin',
	sysadmin: 'admin'
} as const;
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
				if (allowed(route, who) && route.startsWith('/office/sessions/')) {
					// The old address of 集中学习 sends its admins to the new one.
					expect(res.status, `${who} ${route}`).toBe(308);
					expect(res.headers.get('location'), route).toBe(
						route.replace('/office/sessions/', '/office/study-sessions/')
					);
				} else if (allowed(route, who)) {
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

describe('office scope of member edits and study sessions over HTTP', () => {
	/** The first column of the first row, read from the running app's database. */
	const one = (sql: string, ...params: unknown[]) => {
		const db = appDatabase();
		try {
			return db
				.prepare(sql)
				.pluck()
				.get(...params) as number | string;
		} finally {
			db.close();
		}
	};

	it("an office admin cannot open or save the edit page of a sibling office's member", async () => {
		const lishiAdmin = await loginCookie('lishi.admin');
		const id = one("SELECT id FROM users WHERE username = 'xiaoyi.002'");
		const before = one("SELECT name FROM users WHERE username = 'xiaoyi.002'");
		expect((await get(`/office/members/${id}/edit`, lishiAdmin)).status).toBe(404);
		const res = await post(
			`/office/members/${id}/edit`,
			{ name: '被改名', officeId: String(one("SELECT id FROM offices WHERE code = 'lishi'")) },
			lishiAdmin
		);
		expect(res.status).toBe(404);
		expect(await res.text()).toContain('不在您的管理范围内');
		expect(one("SELECT name FROM users WHERE username = 'xiaoyi.002'")).toBe(before);
	});

	it('an office admin cannot invite a sibling office to a study session, nor mark a sibling member present', async () => {
		const lishiAdmin = await loginCookie('lishi.admin');
		const xiaoyi = one("SELECT id FROM offices WHERE code = 'xiaoyi'");
		const title = '越权邀请的集中学习';
		const res = await post(
			'/office/study-sessions/new',
			{
				title,
				day: '2026-12-01',
				start: '09:00',
				end: '12:00',
				place: '会议室',
				leader: '主任',
				hours: '3',
				invitedOfficeIds: String(xiaoyi)
			},
			lishiAdmin
		);
		expect(res.status).toBe(400);
		expect(await res.text()).toContain('只能邀请本单位的下级单位');
		expect(one('SELECT count(*) FROM study_sessions WHERE title = ?', title)).toBe(0);

		const session = one(
			"SELECT s.id FROM study_sessions s JOIN offices o ON o.id = s.office_id WHERE o.code = 'lishi' ORDER BY s.starts_at LIMIT 1"
		);
		const outsider = one("SELECT id FROM users WHERE username = 'xiaoyi.002'");
		const marked = await post(
			`/office/study-sessions/${session}?/attendance`,
			{ userId: String(outsider), present: 'true' },
			lishiAdmin
		);
		expect(marked.status).toBe(400);
		expect(await marked.text()).toContain('此人不在本次集中学习的参加范围内');
		expect(
			one('SELECT count(*) FROM attendance WHERE session_id = ? AND user_id = ?', session, outsider)
		).toBe(0);
	});
});
