import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDb, addUser, seedTree, PASSWORD, SYSADMIN } from '../helpers/db';
import {
	createMember,
	defaultOfficeId,
	listMembers,
	memberForEdit,
	resetMemberPassword,
	setMemberActive,
	updateMember
} from '../../src/lib/server/users/members';
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
		const created = await createMember(db, lishiAdmin, {
			name: '新人',
			username: 'new.one',
			officeId: String(tree.xiaoyi.id)
		});
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
		const result = await createMember(db, cityAdmin, { name: '', username: 'a', officeId: '', phone: '123' });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors).toMatchObject({
			name: '请填写姓名',
			username: expect.stringContaining('登录名为 3–32 位'),
			officeId: '请选择所在单位',
			phone: '手机号应为 11 位数字，以 1 开头'
		});
		const dup = await createMember(db, lishiAdmin, {
			name: '重名',
			username: 'lishi.c1',
			officeId: String(tree.lishi.id)
		});
		expect(dup).toEqual({ ok: false, errors: { username: '该登录名已被使用' } });
		expect(db.select().from(users).all().length).toBe(before);
	});

	it('with one office in scope it is preselected, and the server files the member there', async () => {
		expect(defaultOfficeId(db, lishiAdmin)).toBe(tree.lishi.id);
		expect(defaultOfficeId(db, cityAdmin)).toBeNull();
		const created = await createMember(db, lishiAdmin, { name: '钱新', username: 'qian.xin', officeId: '' });
		expect(created.ok).toBe(true);
		expect(db.select().from(users).where(eq(users.username, 'qian.xin')).get()?.officeId).toBe(tree.lishi.id);
	});

	it('deactivating ends sessions and blocks login; reactivating restores login', async () => {
		const r = await login(db, 'lishi.c1', PASSWORD);
		if (!r.ok) throw new Error('login failed');
		expect(setMemberActive(db, lishiAdmin, lishiCadre.id, false)).toEqual({ ok: true });
		expect(validateSessionToken(db, r.token).user).toBeNull();
		expect((await login(db, 'lishi.c1', PASSWORD)).ok).toBe(false);
		expect(listMembers(db, lishiAdmin, {}).rows.map((m) => m.username)).not.toContain('lishi.c1');
		expect(listMembers(db, lishiAdmin, { status: 'inactive' }).rows.map((m) => m.username)).toEqual([
			'lishi.c1'
		]);
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

describe('editing a member', () => {
	const row = (id: number) => db.select().from(users).where(eq(users.id, id)).get()!;

	it('an office admin corrects name, 职务 and phone of a member of their office', () => {
		expect(memberForEdit(db, lishiAdmin, lishiCadre.id)).toMatchObject({
			name: '离石干部',
			officeId: tree.lishi.id
		});
		const r = updateMember(db, lishiAdmin, lishiCadre.id, {
			name: '离石干部改',
			officeId: String(tree.lishi.id),
			title: '副主任',
			phone: '13912345678'
		});
		expect(r).toEqual({ ok: true });
		expect(row(lishiCadre.id)).toMatchObject({
			name: '离石干部改',
			title: '副主任',
			phone: '13912345678',
			officeId: tree.lishi.id,
			username: 'lishi.c1'
		});
	});

	it('the city admin moves a member between offices they manage; nobody moves outside their scope', () => {
		expect(
			updateMember(db, cityAdmin, lishiCadre.id, { name: '离石干部', officeId: String(tree.xiaoyi.id) })
		).toEqual({ ok: true });
		expect(row(lishiCadre.id).officeId).toBe(tree.xiaoyi.id);
		// Now in 孝义: the 离石 admin no longer sees them, and cannot move a member of theirs to 孝义.
		expect(memberForEdit(db, lishiAdmin, lishiCadre.id)).toBeUndefined();
		const other = updateMember(db, lishiAdmin, lishiAdmin.id, {
			name: '管理员',
			officeId: String(tree.xiaoyi.id)
		});
		expect(other).toEqual({ ok: false, errors: { officeId: '只能调到您管理的单位' } });
		expect(
			updateMember(db, cityAdmin, cityAdmin.id, { name: '管理员', officeId: String(tree.lishi.id) })
		).toEqual({
			ok: false,
			errors: { officeId: '不能调整自己的所在单位，请联系上级单位的管理员' }
		});
		expect(row(cityAdmin.id).officeId).toBe(tree.city.id);
	});

	it('a member outside the admin’s offices (or a sysadmin) is refused as not found, and nothing changes', async () => {
		const before = row(xiaoyiCadre.id);
		expect(
			updateMember(db, lishiAdmin, xiaoyiCadre.id, { name: '改名', officeId: String(tree.lishi.id) })
		).toEqual({ ok: false, missing: true });
		expect(updateMember(db, lishiAdmin, 99_999, { name: '改名', officeId: String(tree.lishi.id) })).toEqual({
			ok: false,
			missing: true
		});
		expect(row(xiaoyiCadre.id)).toEqual(before);
		const sys = await addUser(db, { username: 'root.admin', role: 'sysadmin', officeId: tree.lishi.id });
		expect(updateMember(db, lishiAdmin, sys.id, { name: '改名', officeId: String(tree.lishi.id) })).toEqual({
			ok: false,
			missing: true
		});
		expect(row(sys.id).name).toBe(sys.name);
	});

	it('refuses bad input with a message naming each field, and writes nothing', () => {
		const before = row(lishiCadre.id);
		const r = updateMember(db, cityAdmin, lishiCadre.id, {
			name: ' ',
			officeId: 'abc',
			title: '长'.repeat(31),
			phone: '12345'
		});
		expect(r).toEqual({
			ok: false,
			errors: {
				name: '请填写姓名',
				officeId: '请选择所在单位',
				title: '职务不能超过 30 个字',
				phone: '手机号应为 11 位数字，以 1 开头'
			}
		});
		expect(updateMember(db, cityAdmin, lishiCadre.id, { name: '甲', officeId: '99999' })).toEqual({
			ok: false,
			errors: { officeId: '只能调到您管理的单位' }
		});
		expect(row(lishiCadre.id)).toEqual(before);
	});
});

describe('sysadmin accounts', () => {
	it('requires an office for cadres and a school for school admins', async () => {
		const cadre = await saveAccount(db, SYSADMIN, { name: '甲', username: 'jia.yi', role: 'cadre' });
		expect(cadre).toEqual({ ok: false, errors: { officeId: '学员和单位管理员须选择所属单位' } });
		const school = await saveAccount(db, SYSADMIN, { name: '乙', username: 'yi.bing', role: 'school_admin' });
		expect(school).toEqual({ ok: false, errors: { schoolId: '党校管理员须选择所属党校' } });
		// An office id that is not a number is refused, not stored as no office.
		const bad = await saveAccount(db, SYSADMIN, {
			name: '丁',
			username: 'ding.wu',
			role: 'cadre',
			officeId: 'abc'
		});
		expect(bad).toEqual({ ok: false, errors: { officeId: '请选择所属单位' } });
		const ok = await saveAccount(db, SYSADMIN, {
			name: '丙',
			username: 'bing.ding',
			role: 'office_admin',
			officeId: String(tree.xiaoyi.id)
		});
		expect(ok.ok && ok.temporaryPassword).toBeTruthy();
	});
});
