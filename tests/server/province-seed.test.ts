import { describe, expect, it } from 'vitest';
import { count, eq, isNull } from 'drizzle-orm';
import { testDb } from '../helpers/db';
import { seedOrganisation } from '../../src/lib/server/seed';
import { findProvince, provinceAccounts, seedProvince } from '../../src/lib/server/seed/province';
import { login } from '../../src/lib/server/auth/login';
import { listOffices } from '../../src/lib/server/org/offices';
import { modules, offices, users } from '../../src/lib/server/db/schema';

const sx = findProvince('sx')!;
const ha = findProvince('ha')!;

describe('a province seed', () => {
	it("loads the province's own tree, its admins, cadres and the built-in content, idempotently", async () => {
		const db = testDb();
		const first = await seedProvince(db, sx);
		expect(await seedProvince(db, sx)).toEqual(first);

		const tree = listOffices(db);
		const root = tree.find((o) => o.parentId === null)!;
		expect(root.name).toBe('山西省人大常委会');
		expect(
			tree
				.filter((o) => o.parentId === root.id)
				.map((o) => o.name)
				.sort()
		).toEqual(['吕梁市人大常委会', '太原市人大常委会'].sort());
		expect(tree).toHaveLength(3);

		const accounts = provinceAccounts(sx);
		const admin = db.select().from(users).where(eq(users.username, accounts.officeAdmin)).get()!;
		expect(admin.role).toBe('office_admin');
		expect(admin.officeId).toBe(root.id);
		const sysadmin = db.select().from(users).where(eq(users.username, accounts.sysadmin)).get()!;
		expect(sysadmin.role).toBe('sysadmin');
		const cadres = db.select({ n: count() }).from(users).where(eq(users.role, 'cadre')).get()!.n;
		expect(cadres).toBeGreaterThanOrEqual(6);
		// Every cadre belongs to an office of this tree.
		const treeIds = new Set(tree.map((o) => o.id));
		const cadreOffices = db
			.select({ officeId: users.officeId })
			.from(users)
			.where(eq(users.role, 'cadre'))
			.all();
		expect(cadreOffices.filter((u) => u.officeId === null || !treeIds.has(u.officeId))).toEqual([]);
		expect((await login(db, accounts.cadre, 'Demo#2026')).ok).toBe(true);

		const live = db.select({ n: count() }).from(modules).where(isNull(modules.archivedAt)).get()!.n;
		expect(live).toBeGreaterThan(0);
		expect(first.modules).toBeGreaterThan(0);
	}, 30_000);

	it('refuses a database that already holds another tree', async () => {
		const other = testDb();
		await seedProvince(other, ha);
		await expect(seedProvince(other, sx)).rejects.toThrow('根单位：河南省人大常委会');
		expect(other.select({ n: count() }).from(offices).get()!.n).toBe(3);

		const demo = testDb();
		await seedOrganisation(demo);
		await expect(seedProvince(demo, sx)).rejects.toThrow('根单位：吕梁市人大常委会');
		expect(demo.select().from(offices).where(eq(offices.name, '山西省人大常委会')).get()).toBeUndefined();
	}, 30_000);
});
