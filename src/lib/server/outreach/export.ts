/**
 * 宣讲 upward reporting: the period's talks as the .xlsx an office sends to the level above
 * (one row per talk, then a 汇总 sheet), and the data of the printable A4 summary.
 */
import type { Queryable } from '../db';
import type { Actor } from '../org/offices';
import { dashboardScope } from '../participation/scope';
import { exportHeading, type Sheet } from '../participation/export';
import { dayLabel } from '../../format';
import { shanghaiDay } from '../time';
import { PLACE_KIND_LABELS, TALK_FORMAT_LABELS } from '../../outreach';
import { outreachByOffice, type OfficeOutreachRow } from './figures';
import { rangeParams, type DayRange } from './ranges';
import { reportTalks, type ReportTalk } from './report-talks';

/** The columns of the talk sheet, in the order the report form has them. */
export const TALK_COLUMNS: Sheet<ReportTalk & { n: number }>['columns'] = [
	{ header: '序号', width: 6, value: (t) => t.n },
	{ header: '日期', width: 12, value: (t) => t.day },
	{ header: '时间', width: 8, value: (t) => t.time },
	{ header: '单位', width: 22, value: (t) => t.officeName },
	{ header: '地点', width: 22, value: (t) => t.placeName },
	{ header: '乡镇（街道）', width: 14, value: (t) => t.township },
	{ header: '地点类型', width: 16, value: (t) => (t.placeKind ? PLACE_KIND_LABELS[t.placeKind] : '') },
	{ header: '形式', width: 10, value: (t) => (t.format ? TALK_FORMAT_LABELS[t.format] : '') },
	{ header: '宣讲人', width: 20, value: (t) => t.speakers },
	{ header: '其他宣讲人', width: 20, value: (t) => t.otherSpeakers },
	{ header: '主题', width: 30, value: (t) => t.topics },
	{ header: '受众人数', width: 10, value: (t) => t.audience },
	{ header: '内容摘要', width: 60, value: (t) => t.summary },
	{ header: '照片数', width: 8, value: (t) => t.photoIds.length },
	{ header: '记录人', width: 10, value: (t) => t.recordedBy }
];

export const SUMMARY_COLUMNS: Sheet<OfficeOutreachRow>['columns'] = [
	{ header: '单位', width: 26, value: (r) => summaryName(r) },
	{ header: '宣讲场次', width: 10, value: (r) => r.talks },
	{ header: '受众人次', width: 10, value: (r) => r.audience },
	{ header: '参与宣讲人数', width: 12, value: (r) => r.speakers },
	{ header: '在用成员', width: 10, value: (r) => r.members },
	{ header: '每百名成员宣讲场次', width: 18, value: (r) => r.talksPer100 }
];

/** A roll-up row's name: 合计 for the whole office, （本级） for its own talks, else the child office. */
export function summaryName(row: OfficeOutreachRow, total = false): string {
	if (total) return '合计';
	return row.own ? `${row.name}（本级）` : row.name;
}

/** 「2026年11月1日至2026年11月30日」 */
export function rangeLabel(range: DayRange): string {
	return range.from === range.to ? dayLabel(range.from) : `${dayLabel(range.from)}至${dayLabel(range.to)}`;
}

/**
 * The office (from `?office=`, within the actor's scope), its range (`range`, or `from`/`to`)
 * and everything the report holds: the roll-up and the talks. Null outside the actor's scope.
 */
export function outreachReport(db: Queryable, actor: Actor, params: URLSearchParams, now = new Date()) {
	const scope = dashboardScope(db, actor, params);
	if (!scope) return null;
	const range = rangeParams(params, now);
	const rollUp = outreachByOffice(db, actor, scope.office.id, range.from, range.to);
	if (!rollUp) return null;
	return {
		office: { id: scope.office.id, name: scope.office.name },
		range,
		rollUp,
		talks: (limit?: number) => reportTalks(db, scope.officeIds, range.from, range.to, limit)
	};
}

/**
 * The .xlsx of a period's talks: 宣讲活动 (one row per talk, oldest first) and 汇总 (the totals,
 * then the office's own row and each child office rolled up). Null outside the actor's scope.
 */
export function outreachWorkbook(db: Queryable, actor: Actor, params: URLSearchParams, now = new Date()) {
	const report = outreachReport(db, actor, params, now);
	if (!report) return null;
	const period = `统计期间：${rangeLabel(report.range)}`;
	const heading = exportHeading({ title: '宣讲活动', office: report.office.name, lines: [period] }, now);
	const talks: Sheet<ReportTalk & { n: number }> = {
		name: '宣讲活动',
		preamble: heading.preamble,
		columns: TALK_COLUMNS,
		pages: () => [report.talks().map((t, i) => ({ ...t, n: i + 1 }))]
	};
	const { rows, total } = report.rollUp;
	const summary: Sheet<OfficeOutreachRow> = {
		name: '汇总',
		preamble: exportHeading({ title: '宣讲活动汇总', office: report.office.name, lines: [period] }, now)
			.preamble,
		columns: [
			{ ...SUMMARY_COLUMNS[0]!, value: (r) => summaryName(r, r === total) },
			...SUMMARY_COLUMNS.slice(1)
		],
		// The whole office first, then its own row and each child office (only when it has children).
		pages: () => [rows.length > 1 ? [total, ...rows] : [total]]
	};
	return {
		fileName: [
			report.office.name,
			'宣讲活动',
			`${report.range.from}至${report.range.to}`,
			`导出于${shanghaiDay(now)}`
		].join('-'),
		sheets: [talks, summary]
	};
}
