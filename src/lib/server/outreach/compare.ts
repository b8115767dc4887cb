// 宣讲 in the office comparison (单位排行 and its export): talks per member of each office beside
// the study measures of points/compare.ts, and the ranking by talks per 100 members.
import { count } from 'drizzle-orm';
import type { Queryable } from '../db';
import { outreachTalks } from '../db/schema';
import type { PeriodKind } from '../points/periods';
import { compareOffices, METRIC_LABELS, type Metric, type OfficeFigure } from '../points/compare';
import { counted, membersByOffice, per100 } from './figures';
import { periodRange } from './ranges';

export interface TalksPerMember {
	talks: number;
	members: number;
	/** 每百名成员宣讲场次, one decimal. */
	talksPer100: number;
}

const NO_TALKS: TalksPerMember = { talks: 0, members: 0, talksPer100: 0 };

/**
 * Talks per member of each office, the office itself (as the comparison counts members: an
 * office's own active members), in a range.
 */
export function talksPerMember(
	db: Queryable,
	officeIds: number[],
	from: string,
	to: string
): Map<number, TalksPerMember> {
	const result = new Map<number, TalksPerMember>();
	if (officeIds.length === 0) return result;
	const talks = new Map(
		db
			.select({ officeId: outreachTalks.officeId, n: count() })
			.from(outreachTalks)
			.where(counted(officeIds, from, to))
			.groupBy(outreachTalks.officeId)
			.all()
			.map((r) => [r.officeId, r.n])
	);
	const members = membersByOffice(db, officeIds);
	for (const id of officeIds) {
		const t = talks.get(id) ?? 0;
		const m = members.get(id) ?? 0;
		result.set(id, { talks: t, members: m, talksPer100: per100(t, m) });
	}
	return result;
}

/** Offices of a comparison ranked by talks per member (shared ranks for equal values). */
export function rankByTalks<T extends { officeId: number; rank: number }>(
	figures: T[],
	talks: Map<number, TalksPerMember>
): (T & { outreach: TalksPerMember })[] {
	const rows = figures.map((f) => ({ ...f, outreach: talks.get(f.officeId) ?? { ...NO_TALKS } }));
	rows.sort((a, b) => b.outreach.talksPer100 - a.outreach.talksPer100 || a.officeId - b.officeId);
	rows.forEach((f, i) => {
		const prev = rows[i - 1];
		f.rank = prev && prev.outreach.talksPer100 === f.outreach.talksPer100 ? prev.rank : i + 1;
	});
	return rows;
}

/** The comparison's measures: those of 单位排行 (points/compare.ts) and 宣讲 per member. */
export type CompareMetric = Metric | 'talks';
export const COMPARE_METRIC_LABELS: Record<CompareMetric, string> = {
	...METRIC_LABELS,
	talks: '每百人宣讲'
};

export type OfficeFigureWithTalks = OfficeFigure & { outreach: TalksPerMember };

/**
 * The office comparison (compareOffices) with each office's talks per member in the same period;
 * ranked by talks per 100 members when that is the metric.
 */
export function compareWithTalks(
	db: Queryable,
	officeIds: number[],
	kind: PeriodKind,
	metric: CompareMetric,
	now = new Date()
): OfficeFigureWithTalks[] {
	const figures = compareOffices(db, officeIds, kind, metric === 'talks' ? 'perCapita' : metric, now);
	const range = periodRange(kind, now);
	const talks = talksPerMember(db, officeIds, range.from, range.to);
	if (metric === 'talks') return rankByTalks(figures, talks);
	return figures.map((f) => ({ ...f, outreach: talks.get(f.officeId) ?? { ...NO_TALKS } }));
}
