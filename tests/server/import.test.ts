import { beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { testDb, addUser, seedTree } from '../helpers/db';
import { confirmImport, getImportPreview, stageImport } from '../../src/lib/server/users/import';
import { SpreadsheetError, templateXlsx } from '../../src/lib/server/users/spreadsheet';
import { login } from '../../src/lib/server/auth/login';
import { users } from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';

let db: Db;
let cityAdmin: Awaited<ReturnType<typeof addUser>>;
let lishiAdmin: Awaited<ReturnType<typeof addUser>>;

async function xlsx(rows: (string | number)[][]): Promise<Uint8Array> {
	const wb = new ExcelJS.Workbook();
	const sheet = wb.addWorksheet('成员');
	for (const r of rows) sheet.addRow(r);
	return new Uint8Array(await wb.xlsx.writeBuffer());
}

const HEADER = ['姓名', '登录名', '单位', '职务', '手机号'];
const userCount = () => db.select().from(users).all().length;

beforeEach(async () => {
	db = testDb();
	const tree = seedTree(db);
	cityAdmin = await addUser(db, { username: 'city.admin', role: 'office_admin', officeId: tree.city.id });
	lishiAdmin = await addUser(db, { username: 'lishi.admin', role: 'office_admin', officeId: tree.lishi.id });
	await addUser(db, { username: 'taken.name', officeId: tree.lishi.id });
});

describe('bulk import', () => {
	it('imports a good .xlsx in one go, each member with a one-time password', async () => {
		const file = await xlsx([
			HEADER,
			['田春梅', 'tian.cm', '离石区人大常委会', '科员', 13800000001],
			['秦立新', 'Qin.LX', '孝义市人大常委会', '', ''],
			[],
			['乔慧敏', 'qiao.hm', '吕梁市人大常委会', '一级科员', '13800000003']
		]);
		const preview = await stageImport(db, cityAdmin, '成员.xlsx', file);
		expect(preview.errorCount).toBe(0);
		expect(preview.rows.map((r) => r.line)).toEqual([2, 3, 5]);
		expect(userCount()).toBe(3); // nothing written before confirmation
		const result = await confirmImport(db, cityAdmin, preview.id);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.created.map((c) => c.username)).toEqual(['tian.cm', 'qin.lx', 'qiao.hm']);
		expect(userCount()).toBe(6);
		const first = await login(db, 'tian.cm', result.created[0]!.temporaryPassword);
		expect(first.ok && first.mustChangePassword).toBe(true);
		const phone = db.select().from(users).all().find((u) => u.username === 'tian.cm')!.phone;
		expect(phone).toBe('13800000001');
		// The staged file is gone: confirming twice imports nothing more.
		expect(await confirmImport(db, cityAdmin, preview.id)).toEqual({ ok: false, reason: 'missing' });
		expect(userCount()).toBe(6);
	});

	it('lists every problem row by row and writes nothing, even when asked to confirm', async () => {
		const file = await xlsx([
			HEADER,
			['', 'no.name', '离石区人大常委会', '', ''],
			['重复者', 'taken.name', '离石区人大常委会', '', ''],
			['某甲', 'dup.one', '离石区人大常委会', '', ''],
			['某乙', 'DUP.one', '离石区人大常委会', '', ''],
			['某丙', 'far.away', '火星人大常委会', '', ''],
			['某丁', 'bad.phone', '离石区人大常委会', '', '12345'],
			['某戊', 'other.county', '孝义市人大常委会', '', '']
		]);
		const preview = await stageImport(db, lishiAdmin, 'bad.xlsx', file);
		const byLine = Object.fromEntries(preview.rows.map((r) => [r.line, r.errors]));
		expect(byLine[2]).toEqual(['缺少姓名']);
		expect(byLine[3]).toEqual(['登录名“taken.name”已被使用']);
		expect(byLine[4]).toEqual([]);
		expect(byLine[5]).toEqual(['登录名与第 4 行重复']);
		expect(byLine[6]).toEqual(['单位“火星人大常委会”不存在']);
		expect(byLine[7]).toEqual(['手机号格式不正确（应为 11 位数字，以 1 开头）']);
		expect(byLine[8]).toEqual(['单位“孝义市人大常委会”不在您的管理范围内']);
		expect(preview.errorCount).toBe(6);
		const result = await confirmImport(db, lishiAdmin, preview.id);
		expect(result.ok).toBe(false);
		expect(userCount()).toBe(3);
	});

	it('reads a CSV saved by Excel in GBK as well as UTF-8 with a BOM, headers in any order', async () => {
		const text = '登录名,姓名,手机号,职务,单位\r\nhan.xd,韩晓东,,科员,离石区人大常委会\r\n';
		for (const [label, bytes] of [
			['utf-8', new TextEncoder().encode('\uFEFF' + text)],
			['gbk', new Uint8Array(iconv.encode(text, 'gbk'))]
		] as const) {
			const preview = await stageImport(db, lishiAdmin, 'members.csv', bytes);
			expect(preview.errorCount, label).toBe(0);
			expect(preview.rows[0]!.values, label).toEqual({ 姓名: '韩晓东', 登录名: 'han.xd', 单位: '离石区人大常委会', 职务: '科员', 手机号: '' });
		}
	});

	it('refuses a file that is not a spreadsheet, an empty one and one without the template headers', async () => {
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
		await expect(stageImport(db, lishiAdmin, 'photo.png', png)).rejects.toThrow(SpreadsheetError);
		await expect(stageImport(db, lishiAdmin, 'photo.csv', png)).rejects.toThrow('文件不是表格');
		const fakeZip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]);
		await expect(stageImport(db, lishiAdmin, 'broken.xlsx', fakeZip)).rejects.toThrow('无法读取该 Excel 文件');
		await expect(stageImport(db, lishiAdmin, 'empty.csv', new Uint8Array())).rejects.toThrow('文件是空的');
		const noHeaders = await xlsx([['name', 'login'], ['a', 'b']]);
		await expect(stageImport(db, lishiAdmin, 'x.xlsx', noHeaders)).rejects.toThrow('表头不完整，缺少：姓名、登录名、单位、职务、手机号');
		const onlyHeader = await xlsx([HEADER]);
		await expect(stageImport(db, lishiAdmin, 'x.xlsx', onlyHeader)).rejects.toThrow('表格中没有成员数据');
		expect(userCount()).toBe(3);
	});

	it('the downloadable template imports cleanly once its example row is filled in', async () => {
		const template = new Uint8Array(await templateXlsx('离石区人大常委会'));
		const preview = await stageImport(db, lishiAdmin, '模板.xlsx', template);
		expect(preview.rows).toHaveLength(1);
		expect(preview.rows[0]!.values).toEqual({ 姓名: '张三', 登录名: 'zhangsan', 单位: '离石区人大常委会', 职务: '科员', 手机号: '13800000000' });
		expect(preview.errorCount).toBe(0);
	});

	it("one admin cannot see or confirm another admin's staged import", async () => {
		const file = await xlsx([HEADER, ['田春梅', 'tian.cm', '离石区人大常委会', '', '']]);
		const preview = await stageImport(db, lishiAdmin, 'a.xlsx', file);
		expect(getImportPreview(db, cityAdmin, preview.id)).toBeNull();
		expect(await confirmImport(db, cityAdmin, preview.id)).toEqual({ ok: false, reason: 'missing' });
		expect(userCount()).toBe(3);
	});

	it('re-checks at confirmation: a login name taken meanwhile blocks the whole file', async () => {
		const file = await xlsx([HEADER, ['田春梅', 'tian.cm', '离石区人大常委会', '', ''], ['秦立新', 'qin.lx', '离石区人大常委会', '', '']]);
		const preview = await stageImport(db, lishiAdmin, 'a.xlsx', file);
		await addUser(db, { username: 'qin.lx' });
		const result = await confirmImport(db, lishiAdmin, preview.id);
		expect(result.ok).toBe(false);
		expect(db.select().from(users).all().map((u) => u.username)).not.toContain('tian.cm');
	});
});
