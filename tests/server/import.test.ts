import { beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { testDb, addUser, seedTree } from '../helpers/db';
import { confirmImport, getImportPreview, stageImport } from '../../src/lib/server/users/import';
import { SpreadsheetError, templateXlsx } from '../../src/lib/server/users/spreadsheet';
import { login } from '../../src/lib/server/auth/login';
import { memberImports, users } from '../../src/lib/server/db/schema';
import { inlineRow, xlsxParts, zip } from '../helpers/zip';
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
		const phone = db
			.select()
			.from(users)
			.all()
			.find((u) => u.username === 'tian.cm')!.phone;
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
			expect(preview.rows[0]!.values, label).toEqual({
				姓名: '韩晓东',
				登录名: 'han.xd',
				单位: '离石区人大常委会',
				职务: '科员',
				手机号: ''
			});
		}
	});

	it('refuses a file that is not a spreadsheet, an empty one and one without the template headers', async () => {
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
		await expect(stageImport(db, lishiAdmin, 'photo.png', png)).rejects.toThrow(SpreadsheetError);
		await expect(stageImport(db, lishiAdmin, 'photo.csv', png)).rejects.toThrow('文件不是表格');
		const fakeZip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]);
		await expect(stageImport(db, lishiAdmin, 'broken.xlsx', fakeZip)).rejects.toThrow(
			'无法读取该 Excel 文件'
		);
		await expect(stageImport(db, lishiAdmin, 'empty.csv', new Uint8Array())).rejects.toThrow('文件是空的');
		const noHeaders = await xlsx([
			['name', 'login'],
			['a', 'b']
		]);
		await expect(stageImport(db, lishiAdmin, 'x.xlsx', noHeaders)).rejects.toThrow(
			'表头不完整，缺少：姓名、登录名、单位、职务、手机号'
		);
		const onlyHeader = await xlsx([HEADER]);
		await expect(stageImport(db, lishiAdmin, 'x.xlsx', onlyHeader)).rejects.toThrow('表格中没有成员数据');
		expect(userCount()).toBe(3);
	});

	it('the downloadable template imports cleanly once its example row is filled in', async () => {
		const template = new Uint8Array(await templateXlsx('离石区人大常委会'));
		const preview = await stageImport(db, lishiAdmin, '模板.xlsx', template);
		expect(preview.rows).toHaveLength(1);
		expect(preview.rows[0]!.values).toEqual({
			姓名: '张三',
			登录名: 'zhangsan',
			单位: '离石区人大常委会',
			职务: '科员',
			手机号: '13800000000'
		});
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
		const file = await xlsx([
			HEADER,
			['田春梅', 'tian.cm', '离石区人大常委会', '', ''],
			['秦立新', 'qin.lx', '离石区人大常委会', '', '']
		]);
		const preview = await stageImport(db, lishiAdmin, 'a.xlsx', file);
		await addUser(db, { username: 'qin.lx' });
		const result = await confirmImport(db, lishiAdmin, preview.id);
		expect(result.ok).toBe(false);
		expect(
			db
				.select()
				.from(users)
				.all()
				.map((u) => u.username)
		).not.toContain('tian.cm');
	});
});

describe('hostile or oversized uploads are refused while being read, before anything is stored', () => {
	const MEMBER = ['田春梅', 'tian.cm', '离石区人大常委会', '科员', '13800000001'];
	const stagedCount = () => db.select().from(memberImports).all().length;

	/** Stages the file, expecting a refusal with `message` within `ms`, and nothing written. */
	async function expectRefused(fileName: string, bytes: Uint8Array, message: string | RegExp, ms = 2000) {
		const before = { users: userCount(), staged: stagedCount() };
		const started = performance.now();
		const error = await stageImport(db, lishiAdmin, fileName, bytes).then(
			() => null,
			(e: unknown) => e
		);
		const took = performance.now() - started;
		expect(error).toBeInstanceOf(SpreadsheetError);
		expect((error as Error).message).toMatch(message);
		expect((error as Error).message).toMatch(/[\u4e00-\u9fff]/);
		expect(took).toBeLessThan(ms);
		expect({ users: userCount(), staged: stagedCount() }).toEqual(before);
	}

	it('a cell at XFD1048576 (and a sheet dimension to match) is refused at once, without allocating the sheet', async () => {
		const sheet = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>${inlineRow(1, HEADER)}${inlineRow(2, MEMBER)}<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>`;
		const file = zip(xlsxParts({ xml: sheet }));
		expect(file.length).toBeLessThan(6 * 1024);
		const rss = process.memoryUsage().rss;
		await expectRefused('far.xlsx', file, '第 1048576 行第 XFD 列有内容，超过了 30 列', 1000);
		expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);
	});

	it('a far-out row or an empty formatted cell far out costs nothing and is read as it is', async () => {
		const rows = `${inlineRow(1, HEADER)}${inlineRow(2, MEMBER)}<row r="1048576"><c r="XFD1048576" s="1"/><c r="A1048576" t="inlineStr"><is><t>秦立新</t></is></c></row>`;
		const preview = await stageImport(db, lishiAdmin, 'far.xlsx', zip(xlsxParts({ rows })));
		expect(preview.rows.map((r) => [r.line, r.values.姓名])).toEqual([
			[2, '田春梅'],
			[1048576, '秦立新']
		]);
	});

	it('one 50,000,000-character string (a 50 KB file) is refused from the zip directory, unread', async () => {
		const strings = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>${'长'.repeat(1)}${'x'.repeat(50_000_000)}</t></si></sst>`;
		const rows = `${inlineRow(1, HEADER)}<row r="2"><c r="A2" t="s"><v>0</v></c></row>`;
		const file = zip(xlsxParts({ rows, sharedStrings: strings }));
		expect(file.length).toBeLessThan(100 * 1024);
		await expectRefused('big.xlsx', file, '解压后超过 20 MB');
	});

	it('a string within the size bound but longer than any member field is refused, naming the cell', async () => {
		const strings = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>${'x'.repeat(1_000_000)}</t></si></sst>`;
		const rows = `${inlineRow(1, HEADER)}<row r="2"><c r="A2" t="s"><v>0</v></c></row>`;
		await expectRefused(
			'long.xlsx',
			zip(xlsxParts({ rows, sharedStrings: strings })),
			'第 2 行 A 列的内容超过 200 个字'
		);
		const inline = `${inlineRow(1, HEADER)}${inlineRow(2, ['某甲', 'x'.repeat(201)])}`;
		await expectRefused('long.xlsx', zip(xlsxParts({ rows: inline })), '第 2 行 B 列的内容超过 200 个字');
	});

	it('a highly compressible sheet (zip bomb) is refused, and so is one whose zip understates its size', async () => {
		const bomb = Buffer.alloc(64 * 1024 * 1024, '<row/>');
		await expectRefused('bomb.xlsx', zip(xlsxParts({ xml: bomb })), '解压后超过 20 MB');
		// The directory claims a few bytes; unzipping stops as soon as the part grows past them.
		const liar = zip(
			xlsxParts({ xml: bomb }).map((p) => (p.name.endsWith('sheet1.xml') ? { ...p, declaredSize: 1000 } : p))
		);
		await expectRefused('liar.xlsx', liar, '无法读取该 Excel 文件');
		const parts = Array.from({ length: 600 }, (_, i) => ({ name: `xl/media/${i}.xml`, data: '' }));
		await expectRefused(
			'parts.xlsx',
			zip([...xlsxParts({ rows: inlineRow(1, HEADER) }), ...parts]),
			'包含的部件过多'
		);
	});

	it('more members than one import takes, or endless blank rows, stop the reading', async () => {
		const many = Array.from({ length: 2001 }, (_, i) => ['某人', `member.${i}`, '离石区人大常委会', '', '']);
		await expectRefused('many.xlsx', await xlsx([HEADER, ...many]), '一次最多导入 2000 人');
		const csv = [HEADER, ...many].map((r) => r.join(',')).join('\r\n');
		await expectRefused('many.csv', new TextEncoder().encode(csv), '一次最多导入 2000 人');
		const blank = HEADER.join(',') + '\r\n' + ',,,,\r\n'.repeat(1_000_000);
		await expectRefused('blank.csv', new TextEncoder().encode(blank), '空行');
		const blankRows =
			inlineRow(1, HEADER) + Array.from({ length: 20_000 }, (_, i) => `<row r="${i + 2}" s="1"/>`).join('');
		await expectRefused('blank.xlsx', zip(xlsxParts({ rows: blankRows })), '空行');
		// Exactly the limit goes through.
		const preview = await stageImport(
			db,
			cityAdmin,
			'ok.csv',
			new TextEncoder().encode(csv.split('\r\n').slice(0, 2001).join('\r\n'))
		);
		expect(preview.rows).toHaveLength(2000);
	});

	it('a CSV with a giant field or too many columns is refused', async () => {
		const giant = `${HEADER.join(',')}\r\n田春梅,tian.cm,"${'x'.repeat(4_000_000)}",,\r\n`;
		await expectRefused('giant.csv', new TextEncoder().encode(giant), '第 2 行 C 列的内容超过 200 个字');
		const wide = `${HEADER.join(',')}\r\n${[...MEMBER, ...Array(40).fill('备注')].join(',')}\r\n`;
		await expectRefused('wide.csv', new TextEncoder().encode(wide), '第 2 行第 AE 列有内容，超过了 30 列');
	});

	it("reads Excel's “Unicode 文本” (UTF-16 with BOM, tab-separated), big-endian too, and tab-separated GBK", async () => {
		const text = `${HEADER.join('\t')}\r\n${MEMBER.join('\t')}\r\n"韩, 晓东"\than.xd\t离石区人大常委会\t\t\r\n`;
		const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
		const be = Buffer.from(le).swap16();
		for (const [label, bytes] of [
			['utf-16le', le],
			['utf-16be', be],
			['gbk', iconv.encode(text, 'gbk')]
		] as const) {
			const preview = await stageImport(db, lishiAdmin, '成员.csv', new Uint8Array(bytes));
			expect(preview.errorCount, label).toBe(0);
			expect(
				preview.rows.map((r) => r.values.姓名),
				label
			).toEqual(['田春梅', '韩, 晓东']);
			expect(preview.rows[0]!.values.手机号, label).toBe('13800000001');
		}
	});
});
