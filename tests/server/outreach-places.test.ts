import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { desc, eq, sql } from 'drizzle-orm';
import { addUser, seedTree, testDb, SYSADMIN } from '../helpers/db';
import type { Db } from '../../src/lib/server/db';
import { auditLog, outreachPlaces } from '../../src/lib/server/db/schema';
import type { AuditActor } from '../../src/lib/server/audit';
import {
	importPlaces,
	kindFromCell,
	listPlaces,
	managedPlace,
	placesOffice,
	placesTemplate,
	retirePlace,
	restorePlace,
	savePlace
} from '../../src/lib/server/outreach/places';

/*
 * 宣讲地点: an office admin keeps their offices' places (added, corrected, retired, restored,
 * imported all-or-nothing), refused beside the field in Chinese, within their scope, audited.
 */

let db: Db;
let tree: ReturnType<typeof seedTree>;
let lishiAdmin: AuditActor;
let cityAdmin: AuditActor;
let xiaoyiAdmin: AuditActor;
let cadre: AuditActor;

const actor = (u: {
	id: number;
	name: string;
	role: AuditActor['role'];
	officeId: number | null;
}): AuditActor => ({
	id: u.id,
	name: u.name,
	role: u.role,
	officeId: u.officeId,
	ip: '192.0.2.9'
});

beforeAll(async () => {
	db = testDb();
	tree = seedTree(db);
	const add = async (username: string, role: 'office_admin' | 'cadre', officeId: number) =>
		actor(await addUser(db, { username, role, officeId, name: username }));
	lishiAdmin = await add('lishi.admin', 'office_admin', tree.lishi.id);
	cityAdmin = await add('city.admin', 'office_admin', tree.city.id);
	xiaoyiAdmin = await add('xiaoyi.admin', 'office_admin', tree.xiaoyi.id);
	cadre = await add('lishi.001', 'cadre', tree.lishi.id);
});

const auditCount = () => db.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`).n;
const placeCount = () => db.get<{ n: number }>(sql`SELECT count(*) AS n FROM outreach_places`).n;
const lastAudit = () => db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1).get()!;

function add(who: AuditActor, officeId: number, name: string, kind = 'village', township = '') {
	const result = savePlace(db, who, officeId, { name, kind, township });
	if (!result.ok) throw new Error(`${name} refused: ${JSON.stringify(result.errors)}`);
	return result.id;
}

// ------------------------------------------------------------------------------ saving

describe('adding and correcting a place', () => {
	it('adds a place with its audit entry in the same write; lists in pinyin order', () => {
		const before = auditCount();
		const id = add(lishiAdmin, tree.lishi.id, '  枣林村  ', 'village', '信义镇');
		add(lishiAdmin, tree.lishi.id, '城北人大代表联络站', 'liaison_station', '城北街道');
		add(lishiAdmin, tree.lishi.id, '凤山社区', 'community', '凤山街道');
		expect(listPlaces(db, tree.lishi.id).map((p) => p.name)).toEqual([
			'城北人大代表联络站',
			'凤山社区',
			'枣林村'
		]);
		expect(managedPlace(db, lishiAdmin, id)).toMatchObject({
			name: '枣林村',
			township: '信义镇',
			kind: 'village',
			active: true
		});
		expect(auditCount()).toBe(before + 3);
		const entry = db
			.select()
			.from(auditLog)
			.where(eq(auditLog.targetId, String(id)))
			.get()!;
		expect(entry).toMatchObject({
			action: 'place.create',
			officeId: tree.lishi.id,
			targetType: 'place',
			actorName: 'lishi.admin',
			summary: '新增宣讲地点“枣林村”（驻村包联点（村））'
		});
	});

	it('refuses beside the field: no name, a name over 60 characters, a long township, an unknown kind', () => {
		const before = { places: placeCount(), audit: auditCount() };
		expect(savePlace(db, lishiAdmin, tree.lishi.id, { name: '   ', kind: 'village', township: '' })).toEqual({
			ok: false,
			errors: { name: '请填写地点名称' }
		});
		const long = savePlace(db, lishiAdmin, tree.lishi.id, {
			name: '村'.repeat(61),
			kind: 'x',
			township: '镇'.repeat(31)
		});
		expect(long).toEqual({
			ok: false,
			errors: {
				name: '地点名称不能超过 60 个字',
				township: '乡镇（街道）不能超过 30 个字',
				kind: '请选择地点类型'
			}
		});
		expect(savePlace(db, lishiAdmin, tree.lishi.id, { name: '村'.repeat(60), kind: 'other' }).ok).toBe(true);
		expect(placeCount()).toBe(before.places + 1);
		expect(auditCount()).toBe(before.audit + 1);
	});

	it('refuses a name the office already has, beside the name; another office may use it', () => {
		const before = placeCount();
		expect(savePlace(db, lishiAdmin, tree.lishi.id, { name: '枣林村', kind: 'community' })).toEqual({
			ok: false,
			errors: { name: '本单位已有名为“枣林村”的地点' }
		});
		expect(placeCount()).toBe(before);
		expect(savePlace(db, xiaoyiAdmin, tree.xiaoyi.id, { name: '枣林村', kind: 'village' }).ok).toBe(true);
	});

	it('corrects a place, recording what changed; renaming onto another place is refused', () => {
		const id = add(lishiAdmin, tree.lishi.id, '西关社区', 'community');
		const result = savePlace(
			db,
			lishiAdmin,
			tree.lishi.id,
			{ name: '西关社区居委会', kind: 'other', township: '西关街道' },
			id
		);
		expect(result).toEqual({ ok: true, id });
		const entry = lastAudit();
		expect(entry).toMatchObject({ action: 'place.update', targetId: String(id), officeId: tree.lishi.id });
		expect(JSON.parse(entry.detail!).changes).toEqual([
			{ label: '名称', from: '西关社区', to: '西关社区居委会' },
			{ label: '乡镇（街道）', from: '（空）', to: '西关街道' },
			{ label: '类型', from: '社区', to: '其他' }
		]);
		expect(savePlace(db, lishiAdmin, tree.lishi.id, { name: '凤山社区', kind: 'other' }, id)).toEqual({
			ok: false,
			errors: { name: '本单位已有名为“凤山社区”的地点' }
		});
		// Nothing changed: nothing written, no entry.
		const before = auditCount();
		savePlace(
			db,
			lishiAdmin,
			tree.lishi.id,
			{ name: '西关社区居委会', kind: 'other', township: '西关街道' },
			id
		);
		expect(auditCount()).toBe(before);
	});

	it('retires and restores with confirmation entries; a retired place leaves the list offered for talks', () => {
		const id = add(lishiAdmin, tree.lishi.id, '南关村');
		expect(retirePlace(db, lishiAdmin, id)).toBe(true);
		expect(lastAudit()).toMatchObject({ action: 'place.update', summary: '停用宣讲地点“南关村”' });
		expect(listPlaces(db, tree.lishi.id).some((p) => p.id === id)).toBe(false);
		expect(listPlaces(db, tree.lishi.id, { retired: true }).find((p) => p.id === id)?.active).toBe(false);
		expect(savePlace(db, lishiAdmin, tree.lishi.id, { name: '南关村', kind: 'village' })).toEqual({
			ok: false,
			errors: { name: '本单位已有名为“南关村”的地点（已停用，可在列表下方恢复）' }
		});
		expect(restorePlace(db, lishiAdmin, id)).toBe(true);
		expect(lastAudit()).toMatchObject({ action: 'place.update', summary: '恢复宣讲地点“南关村”' });
		expect(listPlaces(db, tree.lishi.id).some((p) => p.id === id)).toBe(true);
	});
});

// ------------------------------------------------------------------------------ scope

describe('an admin keeps only the places of offices they manage', () => {
	it("another office's admin can neither add to, correct, retire nor see this office's places", () => {
		const id = add(lishiAdmin, tree.lishi.id, '杏花村');
		const before = { places: placeCount(), audit: auditCount() };
		expect(savePlace(db, xiaoyiAdmin, tree.lishi.id, { name: '新村', kind: 'village' })).toEqual({
			ok: false,
			errors: { _form: '没有找到这个单位，或不在您的管理范围内' }
		});
		// The place id of another office, sent with the admin's own office.
		expect(savePlace(db, xiaoyiAdmin, tree.xiaoyi.id, { name: '杏花村改', kind: 'village' }, id)).toEqual({
			ok: false,
			errors: { _form: '没有找到这个宣讲地点，或不在您的管理范围内' }
		});
		expect(retirePlace(db, xiaoyiAdmin, id)).toBe(false);
		expect(managedPlace(db, xiaoyiAdmin, id)).toBeNull();
		expect(managedPlace(db, cadre, id)).toBeNull();
		expect(savePlace(db, cadre, tree.lishi.id, { name: '新村', kind: 'village' }).ok).toBe(false);
		expect(placesOffice(db, xiaoyiAdmin, String(tree.lishi.id))).toBeNull();
		expect(placesOffice(db, cadre, null)).toBeNull();
		expect({ places: placeCount(), audit: auditCount() }).toEqual(before);
		expect(getName(id)).toBe('杏花村');
	});

	it('the parent office admin and the sysadmin manage a descendant office; the default is their own', () => {
		expect(placesOffice(db, cityAdmin, String(tree.lishi.id))?.id).toBe(tree.lishi.id);
		expect(placesOffice(db, cityAdmin, null)?.id).toBe(tree.city.id);
		expect(placesOffice(db, lishiAdmin, 'abc')?.id).toBe(tree.lishi.id);
		expect(placesOffice(db, lishiAdmin, String(tree.city.id))).toBeNull();
		expect(savePlace(db, cityAdmin, tree.lishi.id, { name: '市里加的村', kind: 'village' }).ok).toBe(true);
		expect(savePlace(db, SYSADMIN, tree.xiaoyi.id, { name: '系统加的社区', kind: 'community' }).ok).toBe(
			true
		);
	});
});

function getName(id: number) {
	return db.select({ name: outreachPlaces.name }).from(outreachPlaces).where(eq(outreachPlaces.id, id)).get()
		?.name;
}

// ------------------------------------------------------------------------------ import

async function xlsx(rows: string[][]): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('地点');
	for (const row of rows) sheet.addRow(row);
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}
const csv = (rows: string[][]) =>
	new TextEncoder().encode('\uFEFF' + rows.map((r) => r.join(',')).join('\r\n'));

describe('importing places from a spreadsheet', () => {
	it('a good .xlsx adds new places, updates known names (restoring retired ones) and audits the counts', async () => {
		const city = tree.city.id;
		add(cityAdmin, city, '旧联络站', 'other', '旧街道');
		const retired = add(cityAdmin, city, '停用村', 'village');
		retirePlace(db, cityAdmin, retired);
		add(cityAdmin, city, '不变社区', 'community', '东街道');
		const before = auditCount();
		const file = await xlsx([
			['名称', '乡镇（街道）', '类型'],
			['滨河人大代表联络站', '滨河街道', '人大代表联络站'],
			['旧联络站', '新街道', '联络站'],
			['停用村', '', '驻村包联点(村)'],
			['不变社区', '东街道', '社区'],
			['上安村', '信义镇', '村']
		]);
		const result = await importPlaces(db, cityAdmin, city, '地点.xlsx', file);
		expect(result).toEqual({ ok: true, added: 2, updated: 1, restored: 1, unchanged: 1 });
		const places = listPlaces(db, city);
		expect(places.map((p) => [p.name, p.township, p.kind])).toEqual(
			expect.arrayContaining([
				['滨河人大代表联络站', '滨河街道', 'liaison_station'],
				['旧联络站', '新街道', 'liaison_station'],
				['停用村', '', 'village'],
				['上安村', '信义镇', 'village']
			])
		);
		expect(auditCount()).toBe(before + 1);
		const entry = lastAudit();
		expect(entry).toMatchObject({
			action: 'place.import',
			officeId: city,
			actorName: 'city.admin',
			summary: '导入宣讲地点：新增 2 个，更新 1 个，恢复 1 个'
		});
		expect(JSON.parse(entry.detail!)).toMatchObject({
			fileName: '地点.xlsx',
			added: 2,
			updated: 1,
			restored: 1
		});
	});

	it('a .csv (any column order, kinds by label or code) imports too', async () => {
		const result = await importPlaces(
			db,
			xiaoyiAdmin,
			tree.xiaoyi.id,
			'places.csv',
			csv([
				['类型', '名称', '乡镇(街道)'],
				['community', '振兴社区', '振兴街道'],
				['其他', '文化广场', '']
			])
		);
		expect(result).toMatchObject({ ok: true, added: 2 });
		expect(listPlaces(db, tree.xiaoyi.id).find((p) => p.name === '振兴社区')?.kind).toBe('community');
	});

	it('bad rows: nothing is stored and every bad row is named by its row number', async () => {
		const before = { places: placeCount(), audit: auditCount() };
		const result = await importPlaces(
			db,
			lishiAdmin,
			tree.lishi.id,
			'地点.xlsx',
			await xlsx([
				['名称', '乡镇（街道）', '类型'],
				['好村', '镇', '村'],
				['', '镇', '社区'],
				['重名村', '', '村'],
				['重名村', '', '社区'],
				['某地', '', '学校'],
				['长名' + '字'.repeat(60), '街'.repeat(31), '']
			])
		);
		expect(result).toEqual({
			ok: false,
			errors: [
				'第 3 行：请填写名称',
				'第 5 行：名称“重名村”与第 4 行重复',
				'第 6 行：类型“学校”应为人大代表联络站、驻村包联点（村）、社区或其他',
				'第 7 行：名称不能超过 60 个字；乡镇（街道）不能超过 30 个字；请填写类型（人大代表联络站、驻村包联点（村）、社区或其他）'
			]
		});
		expect({ places: placeCount(), audit: auditCount() }).toEqual(before);
		expect(listPlaces(db, tree.lishi.id, { retired: true }).some((p) => p.name === '好村')).toBe(false);
	});

	it('a file that is too large, no spreadsheet, or without the headers is refused as a whole', async () => {
		const before = { places: placeCount(), audit: auditCount() };
		const refusal = async (name: string, bytes: Uint8Array) => {
			const result = await importPlaces(db, lishiAdmin, tree.lishi.id, name, bytes);
			expect(result.ok).toBe(false);
			return result.ok ? [] : result.errors;
		};
		const big = csv([
			['名称', '乡镇（街道）', '类型'],
			...Array.from({ length: 60000 }, (_, i) => [`村${i}`, '镇', '村'])
		]);
		expect(big.length).toBeGreaterThan(1024 * 1024);
		expect(await refusal('big.csv', big)).toEqual(['文件不能超过 1 MB：请删去多余的工作表或内容后重试']);
		const manyRows = csv([
			['名称', '乡镇（街道）', '类型'],
			...Array.from({ length: 501 }, (_, i) => [`村${i}`, '', '村'])
		]);
		expect(await refusal('many.csv', manyRows)).toEqual(['一次最多导入 500 个地点，请分批导入']);
		expect(await refusal('照片.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]))).toEqual([
			'文件不是表格：请上传 .xlsx 或 .csv 文件'
		]);
		expect(await refusal('a.xlsx', new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0]))).toEqual([
			'无法读取该 Excel 文件：请用模板另存为 .xlsx 后重试'
		]);
		expect(
			await refusal(
				'a.csv',
				csv([
					['地名', '备注'],
					['某村', '']
				])
			)
		).toEqual(['表头不完整，缺少：名称、类型。请下载模板，按模板表头填写']);
		expect(await refusal('a.csv', csv([['名称', '类型']]))).toEqual(['表格中没有地点：请在表头下方逐行填写']);
		expect(await refusal('a.csv', new Uint8Array())).toEqual(['文件是空的：请选择填好的地点表']);
		const wide = csv([['名称', '类型', '', '', '', '', '', '', '', '', '多余']]);
		expect((await refusal('a.csv', wide))[0]).toContain('超过了 10 列');
		expect({ places: placeCount(), audit: auditCount() }).toEqual(before);
	});

	it("another office's admin cannot import into this office", async () => {
		const before = placeCount();
		const result = await importPlaces(
			db,
			xiaoyiAdmin,
			tree.lishi.id,
			'a.csv',
			csv([
				['名称', '类型'],
				['外单位的村', '村']
			])
		);
		expect(result).toEqual({ ok: false, errors: ['没有找到这个单位，或不在您的管理范围内'] });
		expect(placeCount()).toBe(before);
	});

	it('the templates read back as a valid import (headers and example rows)', async () => {
		for (const format of ['xlsx', 'csv'] as const) {
			const bytes = await placesTemplate(format);
			const result = await importPlaces(db, lishiAdmin, tree.lishi.id, `模板.${format}`, bytes);
			expect(result.ok, format).toBe(true);
		}
		expect(listPlaces(db, tree.lishi.id).find((p) => p.name === '枣林村')).toMatchObject({
			township: '信义镇',
			kind: 'village'
		});
		expect(kindFromCell(' 人大代表联络站 ')).toBe('liaison_station');
		expect(kindFromCell('驻村包联点（村）')).toBe('village');
		expect(kindFromCell('学校')).toBeNull();
	});
});
