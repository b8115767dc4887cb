import { beforeAll, describe, expect, it, vi } from 'vitest';
import ExcelJS from 'exceljs';
import { testDb } from '../helpers/db';
import type { Db } from '../../src/lib/server/db';
import { actor, NOVEMBER, NOW, outreachWorld } from './outreach-world';
import { outreachWorkbook } from '../../src/lib/server/outreach/export';
import { xlsxBookStream } from '../../src/lib/server/participation/export';

let db: Db;
let w: Awaited<ReturnType<typeof outreachWorld>>;

// The export route reads the database through getDb(): here, this file's database.
vi.mock('../../src/lib/server/db', async (original) => ({
	...(await original<typeof import('../../src/lib/server/db')>()),
	getDb: () => db
}));

beforeAll(async () => {
	db = testDb();
	w = await outreachWorld(db);
});

type Cells = unknown[][];

async function readBook(body: ReadableStream<Uint8Array> | ArrayBuffer): Promise<Record<string, Cells>> {
	const wb = new ExcelJS.Workbook();
	const bytes = body instanceof ArrayBuffer ? body : await new Response(body).arrayBuffer();
	await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
	const sheets: Record<string, Cells> = {};
	for (const ws of wb.worksheets) {
		const rows: Cells = [];
		ws.eachRow({ includeEmpty: true }, (row) => rows.push((row.values as unknown[]).slice(1)));
		sheets[ws.name] = rows;
	}
	return sheets;
}

/** The table under a sheet's preamble: the header row and the rows after it. */
function table(rows: Cells, firstHeader: string) {
	const at = rows.findIndex((r) => r[0] === firstHeader);
	return { header: rows[at]!, body: rows.slice(at + 1).filter((r) => r.length) };
}

const HEADER = [
	'序号',
	'日期',
	'时间',
	'单位',
	'地点',
	'乡镇（街道）',
	'地点类型',
	'形式',
	'宣讲人',
	'其他宣讲人',
	'主题',
	'受众人数',
	'内容摘要',
	'照片数',
	'记录人'
];

async function exportOf(who: Parameters<typeof actor>[0], query: string) {
	const book = outreachWorkbook(db, actor(who), new URLSearchParams(query), NOW);
	if (!book) return null;
	return { fileName: book.fileName, sheets: await readBook(xlsxBookStream(book.sheets)) };
}

describe('the 宣讲 export', () => {
	it('has one row per submitted talk of the range, oldest first, every column as the talk has it', async () => {
		const book = (await exportOf(w.users.cityAdmin, `from=${NOVEMBER.from}&to=${NOVEMBER.to}`))!;
		expect(book.fileName).toBe('吕梁市人大常委会-宣讲活动-2026-11-01至2026-11-30-导出于2026-11-15');
		const rows = book.sheets['宣讲活动']!;
		expect(rows[0]).toEqual(['吕梁市人大常委会 宣讲活动']);
		expect(rows[1]).toEqual(['统计期间：2026年11月1日至2026年11月30日']);
		const { header, body } = table(rows, '序号');
		expect(header).toEqual(HEADER);
		// The drafts, 31 October and 1 December are not in it.
		expect(body.map((r) => [r[0], r[1], r[2], r[3], r[11]])).toEqual([
			[1, '2026-11-01', '15:30', '吕梁市人大常委会', 10],
			[2, '2026-11-03', '09:00', '离石区人大常委会', 40],
			[3, '2026-11-10', '09:00', '滨河街道人大工委', 30],
			[4, '2026-11-12', '09:00', '孝义市人大常委会', 60],
			[5, '2026-11-20', '19:05', '离石区人大常委会', 25]
		]);
		const t1 = body[1]!;
		expect(t1.slice(4, 11)).toEqual([
			'城北社区',
			'城北街道',
			'社区',
			'集中宣讲',
			'李四、张三',
			'刘代表',
			// Parts of the report in order, then modules, then the free text.
			'报告开篇、报告第三部分、全过程人民民主、基层治理'
		]);
		expect(t1[12]).toBe(w.talks.t1.summary);
		expect(t1[13]).toBe(0);
		expect(t1[14]).toBe('张三');
		const t2 = body[4]!;
		expect(t2.slice(4, 8)).toEqual(['信义村', '信义镇', '驻村包联点（村）', '集中宣讲']);
		expect([t2[13], t2[14]]).toEqual([2, '艾管']);
		expect(body[2]![7]).toBe('入户宣讲');
		expect(body[0]![6]).toBe('人大代表联络站');
		expect(body[0]![7]).toBe('座谈');
	});

	it('sums the range in a 汇总 sheet: the whole office, its own row, each child office', async () => {
		const book = (await exportOf(w.users.cityAdmin, `from=${NOVEMBER.from}&to=${NOVEMBER.to}`))!;
		const { header, body } = table(book.sheets['汇总']!, '单位');
		expect(header).toEqual([
			'单位',
			'宣讲场次',
			'受众人次',
			'参与宣讲人数',
			'在用成员',
			'每百名成员宣讲场次'
		]);
		expect(body).toEqual([
			['合计', 5, 165, 5, 7, 71.4],
			['吕梁市人大常委会（本级）', 1, 10, 2, 1, 100],
			['离石区人大常委会', 3, 95, 3, 4, 75],
			['孝义市人大常委会', 1, 60, 1, 2, 50]
		]);
	});

	it('holds only the chosen office’s talks: 离石区 for its admin, its quick range 上月 too', async () => {
		const november = (await exportOf(w.users.lishiAdmin, ''))!;
		expect(table(november.sheets['宣讲活动']!, '序号').body.map((r) => r[1])).toEqual([
			'2026-11-03',
			'2026-11-10',
			'2026-11-20'
		]);
		const october = (await exportOf(w.users.lishiAdmin, 'range=lastMonth'))!;
		expect(table(october.sheets['宣讲活动']!, '序号').body.map((r) => [r[1], r[2], r[11]])).toEqual([
			['2026-10-31', '23:30', 50]
		]);
		// The town (below 离石区) by ?office=: its one talk.
		const town = (await exportOf(w.users.lishiAdmin, `office=${w.town.id}`))!;
		expect(table(town.sheets['宣讲活动']!, '序号').body.map((r) => r[3])).toEqual(['滨河街道人大工委']);
	});

	it('refuses an office outside the admin’s scope: 404 from the route, nothing from the domain', async () => {
		expect(await exportOf(w.users.lishiAdmin, `office=${w.tree.xiaoyi.id}`)).toBeNull();
		expect(await exportOf(w.users.lishiAdmin, `office=${w.tree.city.id}`)).toBeNull();
		expect(await exportOf(w.users.c1, '')).toBeNull();

		const { GET } = await import('../../src/routes/(admin)/office/outreach/export.xlsx/+server');
		const call = (user: { id: number; role: string; officeId: number | null }, query: string) =>
			(GET as unknown as (event: unknown) => Response)({
				locals: { user },
				url: new URL(`http://localhost/office/outreach/export.xlsx?${query}`),
				params: {}
			});
		let status: number | undefined;
		try {
			call(w.users.lishiAdmin, `office=${w.tree.xiaoyi.id}`);
		} catch (e) {
			status = (e as { status?: number }).status;
		}
		expect(status).toBe(404);

		// The admin of 孝义市 gets their own office's talk.
		const res = call(
			w.users.xiaoyiAdmin,
			`office=${w.tree.xiaoyi.id}&from=${NOVEMBER.from}&to=${NOVEMBER.to}`
		);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('spreadsheetml');
		const sheets = await readBook(await res.arrayBuffer());
		expect(table(sheets['宣讲活动']!, '序号').body.map((r) => [r[3], r[8], r[11]])).toEqual([
			['孝义市人大常委会', '孙孝', 60]
		]);
	});
});
