import { beforeEach, describe, expect, it } from 'vitest';
import { testDb, seedTree, SYSADMIN } from '../helpers/db';
import {
	descendantIds,
	getOffice,
	listOffices,
	officeTree,
	rootOffice,
	saveOffice
} from '../../src/lib/server/org/offices';
import { comparisonGroup } from '../../src/lib/server/points/compare';
import { saveSchool, listSchools } from '../../src/lib/server/org/schools';
import type { Db } from '../../src/lib/server/db';

let db: Db;
let tree: ReturnType<typeof seedTree>;

beforeEach(() => {
	db = testDb();
	tree = seedTree(db);
});

describe('offices', () => {
	it('creates an office under a parent and shows it in the tree', () => {
		const r = saveOffice(db, SYSADMIN, {
			name: '汾阳市人大常委会',
			code: 'fenyang',
			parentId: String(tree.city.id),
			sortOrder: '3'
		});
		expect(r.ok).toBe(true);
		const roots = officeTree(listOffices(db));
		expect(roots).toHaveLength(1);
		expect(roots[0]!.children.map((c) => c.name)).toContain('汾阳市人大常委会');
		expect(descendantIds(db, tree.city.id)).toHaveLength(4);
	});

	it('refuses duplicates, bad codes and loops, leaving the tree as it was', () => {
		const before = listOffices(db);
		expect(saveOffice(db, SYSADMIN, { name: '离石区人大常委会', code: 'other' })).toEqual({
			ok: false,
			errors: { name: '已有同名单位' }
		});
		expect(saveOffice(db, SYSADMIN, { name: '新单位', code: 'lishi' })).toEqual({
			ok: false,
			errors: { code: '单位代码已被使用' }
		});
		const bad = saveOffice(db, SYSADMIN, { name: '', code: '1abc' });
		expect(bad.ok).toBe(false);
		if (!bad.ok) {
			expect(bad.errors.name).toBe('请填写单位名称（至少 2 个字）');
			expect(bad.errors.code).toContain('单位代码为 2–20 位小写字母或数字');
		}
		// The city office cannot move under one of its own counties.
		const loop = saveOffice(
			db,
			SYSADMIN,
			{ name: '吕梁市人大常委会', code: 'lvliang', parentId: String(tree.lishi.id) },
			tree.city.id
		);
		expect(loop).toEqual({ ok: false, errors: { parentId: '上级单位不能是本单位或其下级单位' } });
		expect(
			saveOffice(
				db,
				SYSADMIN,
				{ name: '吕梁市人大常委会', code: 'lvliang', parentId: String(tree.city.id) },
				tree.city.id
			).ok
		).toBe(false);
		expect(listOffices(db)).toEqual(before);
	});

	it('edits an office', () => {
		expect(
			saveOffice(
				db,
				SYSADMIN,
				{ name: '离石区人大常委会机关', code: 'lishi', parentId: String(tree.city.id) },
				tree.lishi.id
			).ok
		).toBe(true);
		expect(getOffice(db, tree.lishi.id)?.name).toBe('离石区人大常委会机关');
	});
});

describe('schools', () => {
	it('creates and renames a school, refusing a duplicate name', () => {
		const a = saveSchool(db, SYSADMIN, { name: '中共吕梁市委党校' });
		expect(a.ok).toBe(true);
		expect(saveSchool(db, SYSADMIN, { name: '中共吕梁市委党校' })).toEqual({
			ok: false,
			errors: { name: '已有同名党校' }
		});
		expect(saveSchool(db, SYSADMIN, { name: '' }).ok).toBe(false);
		if (a.ok) saveSchool(db, SYSADMIN, { name: '中共吕梁市委党校（新校区）' }, a.id);
		expect(listSchools(db).map((s) => s.name)).toEqual(['中共吕梁市委党校（新校区）']);
	});
});

describe('the offices a member’s office is compared with (单位排行)', () => {
	it('its parent’s children; for the top office or no office, the offices below the top', () => {
		const counties = [tree.lishi.id, tree.xiaoyi.id].sort();
		const group = comparisonGroup(db, tree.lishi.id);
		expect(group.parentName).toBe('吕梁市人大常委会');
		expect(group.officeIds.sort()).toEqual(counties);
		expect(comparisonGroup(db, tree.city.id).officeIds.sort()).toEqual(counties);
		expect(comparisonGroup(db, null).officeIds.sort()).toEqual(counties);
		expect(rootOffice(db)?.id).toBe(tree.city.id);
	});
});
