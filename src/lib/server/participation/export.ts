import ExcelJS from 'exceljs';
import { PassThrough, Readable } from 'node:stream';
import type { Queryable } from '../db';
import type { PeriodKind } from '../points/periods';
import type { OfficeFigure } from '../points/compare';
import { memberTable, type MemberFigures, type MemberStatus } from './dashboard';

export interface Sheet<T> {
	name: string;
	columns: { header: string; width: number; value: (row: T) => string | number }[];
	/** Rows a page at a time, so a large export is written as it is read. */
	pages: () => Iterable<T[]>;
}

export const MEMBER_COLUMNS: Sheet<MemberFigures>['columns'] = [
	{ header: '姓名', width: 12, value: (r) => r.name },
	{ header: '登录名', width: 16, value: (r) => r.username },
	{ header: '单位', width: 22, value: (r) => r.officeName },
	{ header: '本期积分', width: 10, value: (r) => r.points },
	{ header: '最近学习', width: 12, value: (r) => r.lastActive ?? '' },
	{ header: '已学课程', width: 10, value: (r) => r.lessons },
	{ header: '通过测验', width: 10, value: (r) => r.quizzes },
	{ header: '完成任务', width: 10, value: (r) => r.done },
	{ header: '逾期任务', width: 10, value: (r) => r.overdue },
	{ header: '本年学时', width: 10, value: (r) => r.hours },
	{ header: '状态', width: 8, value: (r) => (r.active ? '在用' : '已停用') }
];

export const OFFICE_COLUMNS: Sheet<OfficeFigure>['columns'] = [
	{ header: '名次', width: 6, value: (r) => r.rank },
	{ header: '单位', width: 22, value: (r) => r.name },
	{ header: '在用成员', width: 10, value: (r) => r.members },
	{ header: '参学人数', width: 10, value: (r) => r.learners },
	{ header: '参学率(%)', width: 10, value: (r) => r.participation },
	{ header: '本期积分', width: 10, value: (r) => r.points },
	{ header: '人均积分', width: 10, value: (r) => r.perCapita },
	{ header: '按期完成率(%)', width: 14, value: (r) => (r.onTime === null ? '' : r.onTime) }
];

const PAGE = 500;

export function memberSheet(db: Queryable, officeIds: number[], opts: { kind: PeriodKind; q?: string; status?: MemberStatus }, now = new Date()): Sheet<MemberFigures> {
	return {
		name: '成员参学情况',
		columns: MEMBER_COLUMNS,
		*pages() {
			// One query computes every member's figures (per-page queries would redo the
			// filtering work for each page); the rows then go out in chunks.
			const { rows } = memberTable(db, officeIds, { ...opts, sort: 'name', desc: false, pageSize: Infinity }, now);
			for (let i = 0; i < rows.length; i += PAGE) yield rows.slice(i, i + PAGE);
		}
	};
}

function csvCell(v: string | number): string {
	const s = String(v);
	return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** CSV with a BOM (so Excel opens the Chinese correctly), streamed page by page. */
export function csvStream<T>(sheet: Sheet<T>): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	const pages = sheet.pages()[Symbol.iterator]();
	let started = false;
	return new ReadableStream({
		pull(controller) {
			if (!started) {
				started = true;
				controller.enqueue(encoder.encode('\uFEFF' + sheet.columns.map((c) => csvCell(c.header)).join(',') + '\r\n'));
				return;
			}
			const next = pages.next();
			if (next.done) return controller.close();
			const text = next.value.map((row) => sheet.columns.map((c) => csvCell(c.value(row))).join(',') + '\r\n').join('');
			controller.enqueue(encoder.encode(text));
		}
	});
}

/** .xlsx written with exceljs's streaming writer, row by row, as the pages are read. */
export function xlsxStream<T>(sheet: Sheet<T>): ReadableStream<Uint8Array> {
	const out = new PassThrough();
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
	const ws = workbook.addWorksheet(sheet.name);
	ws.columns = sheet.columns.map((c, i) => ({ header: c.header, key: `c${i}`, width: c.width }));
	ws.getRow(1).font = { bold: true };
	(async () => {
		try {
			for (const page of sheet.pages()) {
				for (const row of page) ws.addRow(sheet.columns.map((c) => c.value(row))).commit();
				// Let the response drain between pages.
				await new Promise((r) => setImmediate(r));
			}
			ws.commit();
			await workbook.commit();
		} catch (e) {
			out.destroy(e as Error);
		}
	})();
	return Readable.toWeb(out) as unknown as ReadableStream<Uint8Array>;
}

export function download(stream: ReadableStream<Uint8Array>, filename: string, format: 'csv' | 'xlsx'): Response {
	return new Response(stream, {
		headers: {
			'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(filename)}.${format}`,
			'cache-control': 'no-store'
		}
	});
}
