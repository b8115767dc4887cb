import type { Queryable } from '../db';
import { shanghaiDay } from '../time';
import { childOffices, getOffice, rootOffice } from '../org/offices';
import { currentPeriod, type PeriodKind } from './periods';
import { pointsStatements } from './statements';

export type Metric = 'participation' | 'perCapita' | 'onTime';
export const METRIC_LABELS: Record<Metric, string> = {
	participation: '参学率',
	perCapita: '人均积分',
	onTime: '按期完成率'
};

export interface OfficeFigure {
	officeId: number;
	name: string;
	members: number;
	learners: number;
	points: number;
	participation: number; // percent
	perCapita: number; // points per member, one decimal
	onTime: number | null; // percent of due-or-done course enrolments completed by their due day (their own, for late joiners)
	rank: number;
}

/**
 * The offices a member's office is compared with on 单位排行: the children of its parent
 * office (its siblings and itself); at the top of the tree, the offices directly below it.
 */
export function comparisonGroup(
	db: Queryable,
	officeId: number | null
): { parentName: string; officeIds: number[] } {
	const own = officeId ? getOffice(db, officeId) : undefined;
	const parent = own?.parentId ? getOffice(db, own.parentId) : (own ?? rootOffice(db));
	if (!parent) return { parentName: '', officeIds: [] };
	return { parentName: parent.name, officeIds: childOffices(db, parent.id).map((o) => o.id) };
}

/**
 * Offices compared fairly: rates per member, not totals, so a small county can
 * lead a large one. Members are current active members; learners and points are
 * theirs, earned in the office during the period (the rows that count on its board).
 */
export function compareOffices(
	db: Queryable,
	officeIds: number[],
	kind: PeriodKind,
	metric: Metric,
	now = new Date()
): OfficeFigure[] {
	if (officeIds.length === 0) return [];
	const period = currentPeriod(kind, now);
	const today = shanghaiDay(now);
	// Prepared (points/statements.ts): 单位排行 is a page every cadre sees.
	const rows = pointsStatements(db).officeFigures.all({ ids: JSON.stringify(officeIds), period, today });
	const figures = rows.map((office) => ({
		officeId: office.officeId,
		name: office.name,
		members: office.members,
		learners: office.learners,
		points: office.points,
		participation: office.members ? Math.round((office.learners / office.members) * 100) : 0,
		perCapita: office.members ? Math.round((office.points / office.members) * 10) / 10 : 0,
		onTime: office.due ? Math.round((office.onTime / office.due) * 100) : null,
		rank: 0
	}));
	const value = (f: (typeof figures)[number]) => (metric === 'onTime' ? (f.onTime ?? -1) : f[metric]);
	figures.sort((a, b) => value(b) - value(a) || a.officeId - b.officeId);
	figures.forEach((f, i) => {
		const prev = figures[i - 1];
		f.rank = prev && value(prev) === value(f) ? prev.rank : i + 1;
	});
	return figures;
}
