import ExcelJS from 'exceljs';
import { PassThrough, Readable } from 'node:stream';
import type { Queryable } from '../db';
import { mondayOf, PERIOD_LABELS, type PeriodKind } from '../points/periods';
import type { OfficeFigure } from '../points/compare';
import { shanghaiDay } from '../time';
import { addDays, dateTimeLabel } from '../../format';
import { memberTable, type MemberFigures, type MemberSort, type MemberStatus } from './dashboard';

export interface Sheet<T> {
	name: string;
	/** Lines above the table (exportHeading): what it is, whose, for which period, when exported. */
	preamble?: string[];
	columns: { header: string; width: number; value: (row: T) => string | number }[];
	/** Rows a page at a time, so a large export is written as it is read. */
	pages: () => Iterable<T[]>;
}

export const MEMBER_COLUMNS: Sheet<MemberFigures>['columns'] = [
	{ header: '姓名', width: 12, value: (member) => member.name },
	{ header: '登录名', width: 16, value: (member) => member.username },
	{ header: '单位', width: 22, value: (member) => member.officeName },
	{ header: '本期积分', width: 10, value: (member) => member.points },
	{ header: '最近学习', width: 12, value: (member) => member.lastActive ?? '' },
	{ header: '已学课程', width: 10, value: (member) => member.lessons },
	{ header: '通过测验', width: 10, value: (member) => member.quizzes },
	{ header: '完成任务', width: 10, value: (member) => member.done },
	{ header: '逾期任务', width: 10, value: (member) => member.overdue },
	{ header: '本年学时', width: 10, value: (member) => member.hours },
	{ header: '状态', width: 8, value: (member) => (member.active ? '在用' : '已停用') }
];

export const OFFICE_COLUMNS: Sheet<OfficeFigure>['columns'] = [
	{ header: '名次', width: 6, value: (office) => office.rank },
	{ header: '单位', width: 22, value: (office) => office.name },
	{ header: '在用成员', width: 10, value: (office) => office.members },
	{ header: '参学人数', width: 10, value: (office) => office.learners },
	{ header: '参学率(%)', width: 10, value: (office) => office.participation },
	{ header: '本期积分', width: 10, value: (office) => office.points },
	{ header: '人均积分', width: 10, value: (office) => office.perCapita },
	{ header: '按期完成率(%)', width: 14, value: (office) => (office.onTime === null ? '' : office.onTime) }
];

export interface LiveResult {
	rank: number | null;
	name: string;
	username: string;
	right: number;
	score: number;
}

export const LIVE_RESULT_COLUMNS: Sheet<LiveResult>['columns'] = [
	{ header: '名次', width: 6, value: (player) => player.rank ?? '' },
	{ header: '姓名', width: 12, value: (player) => player.name },
	{ header: '登录名', width: 16, value: (player) => player.username },
	{ header: '答对题数', width: 10, value: (player) => player.right },
	{ header: '得分', width: 10, value: (player) => player.score }
];

const PAGE = 500;

export interface MemberExportQuery {
	kind: PeriodKind;
	q?: string;
	status?: MemberStatus;
	sort?: MemberSort;
	desc?: boolean;
}

/** The member table as the admin sees it on screen (filters and sort), every row of it. */
export function memberSheet(
	db: Queryable,
	officeIds: number[],
	opts: MemberExportQuery,
	now = new Date(),
	preamble?: string[]
): Sheet<MemberFigures> {
	return {
		name: '成员参学情况',
		preamble,
		columns: MEMBER_COLUMNS,
		*pages() {
			// One query computes every member's figures (per-page queries would redo the
			// filtering work for each page); the rows then go out in chunks.
			const { rows } = memberTable(db, officeIds, { ...opts, pageSize: Infinity }, now);
			for (let i = 0; i < rows.length; i += PAGE) yield rows.slice(i, i + PAGE);
		}
	};
}

const STATUS_LABELS: Record<MemberStatus, string> = {
	all: '全部在用成员',
	studying: '本期有学习',
	idle: '本期未学习',
	overdue: '有逾期任务',
	inactive: '已停用'
};
const SORT_LABELS: Record<MemberSort, string> = {
	name: '姓名（拼音）',
	points: '本期积分',
	lastActive: '最近学习',
	lessons: '已学课程',
	quizzes: '通过测验',
	overdue: '逾期任务',
	hours: '本年学时'
};

/** The member export's lines on its filters and sort, as the table showed them. */
export function memberQueryLines(opts: MemberExportQuery): string[] {
	const q = opts.q?.trim();
	const sort = opts.sort ?? 'points';
	const desc = opts.desc !== false;
	const direction = sort === 'name' ? (desc ? 'Z→A' : 'A→Z') : desc ? '从高到低' : '从低到高';
	return [
		`筛选：${STATUS_LABELS[opts.status ?? 'all']}${q ? `，姓名或登录名含“${q}”` : ''}`,
		`排序：${SORT_LABELS[sort]} ${direction}`
	];
}

/** A period as the export names it: 本月（2026-11）, 本周（2026-11-23 至 2026-11-29）. */
function periodSpan(kind: PeriodKind, now: Date): string {
	const day = shanghaiDay(now);
	const monday = mondayOf(day);
	return {
		week: `${monday} 至 ${addDays(monday, 6)}`,
		month: day.slice(0, 7),
		year: day.slice(0, 4),
		all: '全部时间'
	}[kind];
}

/**
 * What an export says about itself, in its first lines and its file name: the office, the
 * period and the export date (Asia/Shanghai), so a file forwarded or printed still tells.
 */
export function exportHeading(
	o: { title: string; office: string; kind?: PeriodKind; lines?: string[] },
	now = new Date()
) {
	const period = o.kind ? `${PERIOD_LABELS[o.kind]}（${periodSpan(o.kind, now)}）` : null;
	return {
		preamble: [
			`${o.office} ${o.title}`,
			...(period ? [`统计周期：${period}`] : []),
			...(o.lines ?? []),
			`导出时间：${dateTimeLabel(now)}（北京时间）`
		],
		fileName: [
			o.office,
			o.title,
			...(o.kind ? [`${PERIOD_LABELS[o.kind]}${periodSpan(o.kind, now).replaceAll(' ', '')}`] : []),
			`导出于${shanghaiDay(now)}`
		].join('-')
	};
}

/**
 * A cell value no spreadsheet program will run as a formula (CSV/formula injection, per
 * OWASP): text starting with = + - @, a tab or a carriage return (after any spaces) gets a
 * leading apostrophe. Numbers, and text that is just a negative number, stay as they are.
 * Every CSV and .xlsx export goes through csvStream/xlsxStream, which apply it to every cell.
 */
export function inertCell(value: string | number): string | number {
	if (typeof value !== 'string' || /^-\d+(\.\d+)?$/.test(value)) return value;
	return /^[\t\r\n]|^\s*[=+\-@]/.test(value) ? `'${value}` : value;
}

function csvCell(v: string | number): string {
	const s = String(inertCell(v));
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
				const preamble = sheet.preamble?.length
					? sheet.preamble.map((l) => csvCell(l) + '\r\n').join('') + '\r\n'
					: '';
				controller.enqueue(
					encoder.encode('\uFEFF' + preamble + sheet.columns.map((c) => csvCell(c.header)).join(',') + '\r\n')
				);
				return;
			}
			const next = pages.next();
			if (next.done) return controller.close();
			const text = next.value
				.map((row) => sheet.columns.map((c) => csvCell(c.value(row))).join(',') + '\r\n')
				.join('');
			controller.enqueue(encoder.encode(text));
		}
	});
}

/** .xlsx written with exceljs's streaming writer, row by row, as the pages are read. */
export function xlsxStream<T>(sheet: Sheet<T>): ReadableStream<Uint8Array> {
	return xlsxBookStream([sheet]);
}

/** Several sheets in one .xlsx (e.g. the talks and their 汇总), each written as its pages are read. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each sheet has its own row type
export function xlsxBookStream(sheets: Sheet<any>[]): ReadableStream<Uint8Array> {
	const out = new PassThrough();
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
	(async () => {
		try {
			for (const sheet of sheets) {
				const ws = workbook.addWorksheet(sheet.name);
				ws.columns = sheet.columns.map((c, i) => ({ key: `c${i}`, width: c.width }));
				if (sheet.preamble?.length) {
					for (const line of sheet.preamble) ws.addRow([inertCell(line)]).commit();
					ws.addRow([]).commit();
				}
				const header = ws.addRow(sheet.columns.map((c) => inertCell(c.header)));
				header.font = { bold: true };
				header.commit();
				for (const page of sheet.pages()) {
					for (const row of page) ws.addRow(sheet.columns.map((c) => inertCell(c.value(row)))).commit();
					// Let the response drain between pages.
					await new Promise((resolve) => setImmediate(resolve));
				}
				ws.commit();
			}
			await workbook.commit();
		} catch (e) {
			out.destroy(e as Error);
		}
	})();
	return Readable.toWeb(out) as unknown as ReadableStream<Uint8Array>;
}

export function download(
	stream: ReadableStream<Uint8Array>,
	filename: string,
	format: 'csv' | 'xlsx'
): Response {
	return new Response(stream, {
		headers: {
			'content-type':
				format === 'csv'
					? 'text/csv; charset=utf-8'
					: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(filename)}.${format}`,
			'cache-control': 'no-store'
		}
	});
}
