/**
 * The national view as a table (printed by scripts/national.ts) and as an .xlsx workbook: 汇总
 * (one row per province and 全国) and 各单位 (every office of every province with its counts and
 * rates). Names come from other machines: every text cell goes through `inertCell`, as every
 * export of the app does, so no spreadsheet program runs one as a formula.
 */
import ExcelJS from 'exceljs';
import { dateTimeLabel } from '../../format';
import { inertCell } from '../participation/export';
import type { PeriodKind } from '../points/periods';
import { rates, type AggregateRow, type NationalFigures, type ProvinceFigures } from './aggregate';

const rate = (value: number | null): string => (value === null ? '—' : String(value));
const percent = (value: number | null): string => (value === null ? '—' : `${value}%`);

/** The periods as the national table names them (the boards' 总榜 is 全部 here). */
export const FIGURE_PERIOD_LABELS: Record<PeriodKind, string> = {
	week: '本周',
	month: '本月',
	year: '本年',
	all: '全部'
};

/** 本月（2026-11-01 至 2026-11-30）, 全部（全部时间）. */
export function periodLine(n: Pick<NationalFigures, 'period' | 'from' | 'to'>): string {
	return `${FIGURE_PERIOD_LABELS[n.period]}（${n.from && n.to ? `${n.from} 至 ${n.to}` : '全部时间'}）`;
}

export const SUMMARY_COLUMNS: {
	header: string;
	width: number;
	value: (r: AggregateRow) => string | number;
}[] = [
	{ header: '省份', width: 10, value: (r) => r.label },
	{ header: '实例', width: 22, value: (r) => r.instance },
	{ header: '单位数', width: 8, value: (r) => r.offices },
	{ header: '在用成员', width: 10, value: (r) => r.members },
	{ header: '参学人数', width: 10, value: (r) => r.participants },
	{ header: '参学率', width: 9, value: (r) => percent(r.participation) },
	{ header: '积分', width: 10, value: (r) => r.points },
	{ header: '人均积分', width: 9, value: (r) => rate(r.perCapita) },
	{ header: '应完成', width: 8, value: (r) => r.coursesDue },
	{ header: '按期完成', width: 9, value: (r) => r.coursesOnTime },
	{ header: '按期完成率', width: 10, value: (r) => percent(r.onTime) }
];

/** The national table as plain text for the terminal: columns padded by display width. */
export function textTable(n: NationalFigures): string {
	const rows = [...n.provinces, n.national].map((r) => SUMMARY_COLUMNS.map((c) => String(c.value(r))));
	const header = SUMMARY_COLUMNS.map((c) => c.header);
	// CJK characters take two columns in a terminal.
	const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
	const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))));
	const line = (cells: string[]) =>
		cells
			.map((cell, i) =>
				i < 2 ? cell + ' '.repeat(widths[i]! - width(cell)) : ' '.repeat(widths[i]! - width(cell)) + cell
			)
			.join('  ')
			.trimEnd();
	const rule = '-'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
	return [
		`全国汇总 · 统计周期：${periodLine(n)}`,
		line(header),
		rule,
		...rows.slice(0, -1).map(line),
		rule,
		line(rows.at(-1)!),
		...n.warnings.map((w) => `注意：${w}`)
	].join('\n');
}

/** Rates as numbers in the workbook (blank where there is no denominator). */
const cellRate = (value: number | null): number | string => value ?? '';

export function nationalWorkbook(
	n: NationalFigures,
	provinces: readonly ProvinceFigures[],
	generatedAt = new Date()
): ExcelJS.Workbook {
	const workbook = new ExcelJS.Workbook();
	workbook.created = generatedAt;
	const preamble = [
		'全国人大系统干部学习情况汇总',
		`统计周期：${periodLine(n)}`,
		`汇总时间：${dateTimeLabel(generatedAt)}（北京时间）`,
		`参与汇总：${provinces.map((p) => `${p.label}（${p.figures.instance}，读取于 ${dateTimeLabel(new Date(p.figures.generatedAt))}）`).join('、')}`,
		...n.warnings.map((w) => `注意：${w}`)
	];

	const summary = workbook.addWorksheet('汇总');
	for (const line of preamble) summary.addRow([inertCell(line)]);
	summary.addRow([]);
	const columns = [
		...SUMMARY_COLUMNS.slice(0, 5),
		{ header: '参学率（%）', width: 11, value: (r: AggregateRow) => cellRate(r.participation) },
		SUMMARY_COLUMNS[6]!,
		{ header: '人均积分', width: 9, value: (r: AggregateRow) => cellRate(r.perCapita) },
		SUMMARY_COLUMNS[8]!,
		SUMMARY_COLUMNS[9]!,
		{ header: '按期完成率（%）', width: 14, value: (r: AggregateRow) => cellRate(r.onTime) }
	];
	summary.columns = columns.map((c) => ({ width: c.width }));
	summary.addRow(columns.map((c) => inertCell(c.header))).font = { bold: true };
	for (const r of n.provinces) summary.addRow(columns.map((c) => inertCell(c.value(r))));
	summary.addRow(columns.map((c) => inertCell(c.value(n.national)))).font = { bold: true };

	const offices = workbook.addWorksheet('各单位');
	const officeColumns = [
		['省份', 10],
		['单位代码', 12],
		['单位', 24],
		['上级单位代码', 12],
		['在用成员', 10],
		['参学人数', 10],
		['参学率（%）', 11],
		['积分', 10],
		['人均积分', 9],
		['应完成', 8],
		['按期完成', 9],
		['按期完成率（%）', 14]
	] as const;
	offices.columns = officeColumns.map(([, width]) => ({ width }));
	offices.addRow([inertCell(preamble[0]!)]);
	offices.addRow([inertCell(preamble[1]!)]);
	offices.addRow([]);
	offices.addRow(officeColumns.map(([header]) => inertCell(header))).font = { bold: true };
	for (const p of provinces) {
		for (const o of p.figures.offices) {
			const r = rates(o);
			offices.addRow(
				[
					p.label,
					o.code,
					o.name,
					o.parentCode ?? '',
					o.members,
					o.participants,
					cellRate(r.participation),
					o.points,
					cellRate(r.perCapita),
					o.coursesDue,
					o.coursesOnTime,
					cellRate(r.onTime)
				].map(inertCell)
			);
		}
	}
	return workbook;
}
