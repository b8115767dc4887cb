import { beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { addUser, seedTree, testDb } from '../helpers/db';
import { compareOffices } from '../../src/lib/server/points/compare';
import {
	csvStream,
	inertCell,
	LIVE_RESULT_COLUMNS,
	memberSheet,
	OFFICE_COLUMNS,
	xlsxStream,
	type Sheet
} from '../../src/lib/server/participation/export';
import { offices } from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';

// Text a spreadsheet program would run as a formula if a cell began with it (OWASP CSV injection).
const HOSTILE = ["=cmd|'/c calc'!A0", '@SUM(1+1)', '+1+1', '-1+1', '\t=1+1', '\r=1+1', ' =1+1'];

let db: Db;
let tree: ReturnType<typeof seedTree>;

beforeEach(() => {
	db = testDb();
	tree = seedTree(db);
});

async function csvCells<T>(sheet: Sheet<T>): Promise<string[][]> {
	const text = await new Response(csvStream(sheet)).text();
	return parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
}

async function xlsxCells<T>(sheet: Sheet<T>): Promise<unknown[][]> {
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load((await new Response(xlsxStream(sheet)).arrayBuffer()) as unknown as ExcelJS.Buffer);
	const rows: unknown[][] = [];
	wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
	return rows;
}

// XML keeps no CR: an .xlsx reads back "\r" as "\n".
const lf = (v: unknown) => (typeof v === 'string' ? v.replaceAll('\r', '\n') : v);

/** No cell of the export starts like a formula (a plain negative number may), and every hostile value is there, quoted. */
async function expectInert<T>(sheet: Sheet<T>, column: number) {
	for (const rows of [await csvCells(sheet), await xlsxCells(sheet)]) {
		for (const cell of rows.flat())
			if (typeof cell === 'string' && !/^-\d+$/.test(cell))
				expect(cell).not.toMatch(/^[=+\-@\t\r\n]|^\s+[=+\-@]/);
		const values = rows.map((r) => lf(r[column]));
		for (const value of HOSTILE) expect(values).toContain(lf(`'${value}`));
	}
}

describe('exports never carry a formula', () => {
	it('neutralises text starting with = + - @ tab or CR; numbers and plain negative numbers stay', () => {
		for (const value of HOSTILE) expect(inertCell(value)).toBe(`'${value}`);
		expect(inertCell(-5)).toBe(-5);
		expect(inertCell('-5')).toBe('-5');
		expect(inertCell('-2.5')).toBe('-2.5');
		expect(inertCell('张三')).toBe('张三');
		expect(inertCell('a=b')).toBe('a=b');
	});

	it('the dashboard member export, as .csv and .xlsx', async () => {
		let i = 0;
		for (const name of HOSTILE) await addUser(db, { username: `evil${i++}`, officeId: tree.lishi.id, name });
		await expectInert(
			memberSheet(db, [tree.lishi.id], { kind: 'month', sort: 'name', desc: false }, new Date(), ['=标题行']),
			0
		);
	});

	it('the office comparison export', async () => {
		const children = HOSTILE.map(
			(name, i) =>
				db
					.insert(offices)
					.values({ name, code: `evil${i}`, parentId: tree.city.id })
					.returning()
					.get().id
		);
		const figures = compareOffices(db, children, 'month', 'participation');
		await expectInert({ name: '单位对比', columns: OFFICE_COLUMNS, pages: () => [figures] }, 1);
	});

	it('the live quiz results export', async () => {
		const rows = HOSTILE.map((name, i) => ({ rank: i + 1, name, username: `evil${i}`, right: 3, score: -2 }));
		await expectInert({ name: '现场答题成绩', columns: LIVE_RESULT_COLUMNS, pages: () => [rows] }, 1);
		// Numbers stay numbers (a negative score is not text).
		expect((await xlsxCells({ name: 'x', columns: LIVE_RESULT_COLUMNS, pages: () => [rows] }))[1]![4]).toBe(
			-2
		);
	});
});
