/**
 * This instance's participation figures for the national view (GET /api/figures): per office,
 * counts — never rates — so that offices and provinces can be summed and the rates recomputed
 * from the sums (aggregate.ts): 参学率 = participants / members, 人均积分 = points / members,
 * 按期完成率 = coursesOnTime / coursesDue. No names of people, only offices.
 */
import type { Queryable } from '../db';
import { addDays } from '../../format';
import { rootOffice } from '../org/offices';
import { currentPeriod, mondayOf, PERIOD_LABELS, type PeriodKind } from '../points/periods';
import { shanghaiDay } from '../time';
import { nationalStatements, type OfficeCountsRow } from './statements';

export const FIGURE_PERIODS = Object.keys(PERIOD_LABELS) as PeriodKind[];

/** One office's counts: its own active members (the offices below it have their own rows). */
export interface OfficeCounts {
	code: string;
	name: string;
	/** The office above it, by code; null at the root. */
	parentCode: string | null;
	/** Active members (cadres and office admins) now. */
	members: number;
	/** Members with points in the period (who studied). */
	participants: number;
	/** Their points in the period, earned in this office. */
	points: number;
	/** Course enrolments due in the period (their due day passed, or already done). */
	coursesDue: number;
	/** Of those, completed by their due day. */
	coursesOnTime: number;
}

export interface InstanceFigures {
	/** The root office's name: the province this instance serves. */
	instance: string;
	period: PeriodKind;
	/** The period's first and last Shanghai day (YYYY-MM-DD); both null for `all`. */
	from: string | null;
	to: string | null;
	/** When the figures were read (ISO 8601). */
	generatedAt: string;
	/** In tree order: each office before the offices below it. */
	offices: OfficeCounts[];
}

/** The `period` of the query string: absent is the month (as on the dashboard); anything else unknown is null. */
export function parseFigurePeriod(value: string | null): PeriodKind | null {
	if (value === null || value === '') return 'month';
	return FIGURE_PERIODS.find((p) => p === value) ?? null;
}

/** The Shanghai days a period of `now` runs from and to (inclusive); null bounds for `all`. */
export function periodRange(kind: PeriodKind, now = new Date()): { from: string | null; to: string | null } {
	const day = shanghaiDay(now);
	switch (kind) {
		case 'week': {
			const monday = mondayOf(day);
			return { from: monday, to: addDays(monday, 6) };
		}
		case 'month': {
			const first = `${day.slice(0, 7)}-01`;
			const [y, m] = first.split('-').map(Number) as [number, number];
			const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
			return { from: first, to: addDays(next, -1) };
		}
		case 'year':
			return { from: `${day.slice(0, 4)}-01-01`, to: `${day.slice(0, 4)}-12-31` };
		case 'all':
			return { from: null, to: null };
	}
}

/** Offices roots first, each followed by the offices below it (in their sort order, as read). */
function inTreeOrder(rows: OfficeCountsRow[]): OfficeCountsRow[] {
	const ids = new Set(rows.map((r) => r.id));
	const children = new Map<number | null, OfficeCountsRow[]>();
	for (const r of rows) {
		// An office whose parent is missing would be lost below; it is a root here.
		const parent = r.parentId !== null && ids.has(r.parentId) ? r.parentId : null;
		children.set(parent, [...(children.get(parent) ?? []), r]);
	}
	const walk = (parent: number | null): OfficeCountsRow[] =>
		(children.get(parent) ?? []).flatMap((r) => [r, ...walk(r.id)]);
	return walk(null);
}

/** This instance's figures for the current period of a kind, per office. */
export function instanceFigures(db: Queryable, kind: PeriodKind, now = new Date()): InstanceFigures {
	const { from, to } = periodRange(kind, now);
	const rows = nationalStatements(db).officeCounts.all({
		period: currentPeriod(kind, now),
		from: from ?? '0000-01-01',
		to: to ?? '9999-12-31',
		today: shanghaiDay(now)
	});
	return {
		instance: rootOffice(db)?.name ?? '',
		period: kind,
		from,
		to,
		generatedAt: now.toISOString(),
		offices: inTreeOrder(rows).map((r): OfficeCounts => ({
			code: r.code,
			name: r.name,
			parentCode: r.parentCode,
			members: r.members,
			participants: r.participants,
			points: r.points,
			coursesDue: r.coursesDue,
			coursesOnTime: r.coursesOnTime
		}))
	};
}
