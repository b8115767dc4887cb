import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDb, addUser, seedTree, PASSWORD } from '../helpers/db';
import { createMember, listMembers, resetMemberPassword, setMemberActive } from '../../src/lib/server/users/members';
import { saveAccount } from '../../src/lib/server/users/accounts';
import { login } from '../../src/lib/server/auth/login';
import { validateSessionToken } from '../../src/lib/server/auth/session';
import { users } from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';

let db: Db;
let tree: ReturnType<typeof seedTree>;
let cityAdmin: Awaited<ReturnType<typeof addUser>>;
let lishiAdmin: Awaited<ReturnType<typeof addUser>>;
let lishiCadre: Awaited<ReturnType<typeof addUser>>;
let xiaoyiCadre: Awaited<ReturnType<typeof addUser>>;

beforeEach(async () => {
	db = testDb();
	tree = seedTree(db);
	cityAdmin = await addUser(db, { username: 'city.admin', role: 'office_admin', officeId: tree.city.id });
	lishiAdmin = await addUser(db, { username: 'lishi.admin', role: 'office_admin', officeId: tree.lishi.id });
	lishiCadre = await addUser(db, { username: 'lishi.c1', officeId: tree.lishi.id, name: '离石干部' });
	xiaoyiCadre = await addUser(db, { username: 'xiaoyi.c1', officeId: tree.xiaoyi.id, name: '孝义干部' });
});

describe('office scope', () => {
	it('an office admin lists their own office only; the city admin also sees the counties below', () => {
		const lishi = listMembers(db, lishiAdmin, {}).rows.map((r) => r.username);
		expect(lishi.sort()).toEqual(['lishi.admin', 'lishi.c1']);
		const city = listMembers(db, cityAdmin, {}).rows.map((r) => r.username);
		expect(city).toContain('xiaoyi.c1');
		expect(city).toContain('lishi.c1');
		// Asking for a sibling office by id does not widen the scope.
		const sneaky = listMembers(db, lishiAdmin, { officeId: tree.xiaoyi.id }).rows.map((r) => r.username);
		expect(sneaky).not.toContain('xiaoyi.c1');
	});

	it('an office admin cannot deactivate, reset or add members of a sibling office', async () => {
		expect(setMemberActive(db, lishiAdmin, xiaoyiCadre.id, false).ok).toBe(false);
		expect((await resetMemberPassword(db, lishiAdmin, xiaoyiCadre.id)).ok).toBe(false);
		const created = await createMember(db, lishiAdmin, { name: '新人', username: 'new.one', officeId: String(tree.xiaoyi.id) });
		expect(created).toEqual({ ok: false, errors: { officeId: '只能把成员加入您管理的单位' } });
		const x = db.select().from(users).where(eq(users.id, xiaoyiCadre.id)).get()!;
		expect(x.active).toBe(true);
		expect(x.passwordHash).toBe(xiaoyiCadre.passwordHash);
		expect(db.select().from(users).where(eq(users.username, 'new.one')).get()).toBeUndefined();
	});

	it('the parent office admin can act on a county member', () => {
		expect(setMemberActive(db, cityAdmin, xiaoyiCadre.id, false)).toEqual({ ok: true });
	});

	it('an admin cannot deactivate themselves', () => {
		expect(setMemberActive(db, lishiAdmin, lishiAdmin.id, false).ok).toBe(false);
	});
});

describe('member lifecycle', () => {
	it('adding a member issues a temporary password that must be changed at first login', async () => {
		const created = await createMember(db, lishiAdmin, {
			name: '赵新',
			username: 'Zhao.Xin',
			officeId: String(tree.lishi.id),
			title: '科员',
			phone: '13912345678'
		});
		expect(created.ok).toBe(true);
		if (!created.ok) return;
		expect(created.username).toBe('zhao.xin');
		const r = await login(db, 'zhao.xin', created.temporaryPassword);
		expect(r.ok && r.mustChangePassword).toBe(true);
	});

	it('refuses bad input with a message beside each field and writes nothing', async () => {
		const before = db.select().from(users).all().length;
		const result = await createMember(db, lishiAdmin, { name: '', username: 'a', officeId: '', phone: '123' });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors).toMatchObject({
			name: '请填写姓名',
			username: expect.stringContaining('登录名为 3–32 位'),
			officeId: '请选择',
			phone: '手机号应为 11 位数字，以 1 开头'
		});
		const dup = await createMember(db, lishiAdmin, { name: '重名', username: 'lishi.c1', officeId: String(tree.lishi.id) });
		expect(dup).toEqual({ ok: false, errors: { username: '该登录名已被使用' } });
		expect(db.select().from(users).all().length).toBe(before);
	});

	it('deactivating ends sessions and blocks login; reactivating restores login', async () => {
		const r = await login(db, 'lishi.c1', PASSWORD);
		if (!r.ok) throw new Error('login failed');
		expect(setMemberActive(db, lishiAdmin, lishiCadre.id, false)).toEqual({ ok: true });
		expect(validateSessionToken(db, r.token).user).toBeNull();
		expect((await login(db, 'lishi.c1', PASSWORD)).ok).toBe(false);
		expect(listMembers(db, lishiAdmin, {}).rows.map((m) => m.username)).not.toContain('lishi.c1');
		expect(listMembers(db, lishiAdmin, { status: 'inactive' }).rows.map((m) => m.username)).toEqual(['lishi.c1']);
		setMemberActive(db, lishiAdmin, lishiCadre.id, true);
		expect((await login(db, 'lishi.c1', PASSWORD)).ok).toBe(true);
	});

	it('a password reset ends sessions, replaces the password and forces a change', async () => {
		const r = await login(db, 'lishi.c1', PASSWORD);
		if (!r.ok) throw new Error('login failed');
		const reset = await resetMemberPassword(db, lishiAdmin, lishiCadre.id);
		if (!reset.ok) throw new Error(reset.message);
		expect(validateSessionToken(db, r.token).user).toBeNull();
		expect((await login(db, 'lishi.c1', PASSWORD)).ok).toBe(false);
		const again = await login(db, 'lishi.c1', reset.temporaryPassword);
		expect(again.ok && again.mustChangePassword).toBe(true);
	});

	it('search matches names and login names, treating % literally', () => {
		expect(listMembers(db, cityAdmin, { q: '孝义' }).rows.map((m) => m.username)).toEqual(['xiaoyi.c1']);
		expect(listMembers(db, cityAdmin, { q: '%' }).rows).toHaveLength(0);
	});

	it('paginates', async () => {
		for (let i = 0; i < 25; i++) await addUser(db, { username: `bulk.${i}`, officeId: tree.lishi.id });
		const p1 = listMembers(db, lishiAdmin, { page: 1 });
		const p2 = listMembers(db, lishiAdmin, { page: 2 });
		expect(p1.total).toBe(27);
		expect(p1.rows).toHaveLength(20);
		expect(p2.rows).toHaveLength(7);
		expect(new Set([...p1.rows, ...p2.rows].map((r) => r.id)).size).toBe(27);
	});
});

describe('sysadmin accounts', () => {
	it('requires an office for cadres and a school for school admins', async () => {
		const cadre = await saveAccount(db, { name: '甲', username: 'jia.yi', role: 'cadre' });
		expect(cadre).toEqual({ ok: false, errors: { officeId: '学员和单位管理员须选择所属单位' } });
		const school = await saveAccount(db, { name: '乙', username: 'yi.bing', role: 'school_admin' });
		expect(school).toEqual({ ok: false, errors: { schoolId: '党校管理员须选择所属党校' } });
		const ok = await saveAccount(db, { name: '丙', username: 'bing.ding', role: 'office_admin', officeId: String(tree.xiaoyi.id) });
		expect(ok.ok && ok.temporaryPassword).toBeTruthy();
	});
});
