import type { Queryable } from '../db';
import { currentPeriod, type PeriodKind } from './periods';
import { pointsStatements } from './statements';

export interface BoardRow {
	userId: number;
	name: string;
	points: number;
	rank: number;
}

// Prepared statements (points/statements.ts): boards are the most viewed pages.

/** How many active members of the office scored more than `points` in the period: the rank is that plus one. */
function countAbove(db: Queryable, officeId: number, period: string, points: number): number {
	return pointsStatements(db).countAbove.get({ officeId, period, points }) ?? 0;
}

/**
 * In one pass over the office's members with points in the period: how many there are,
 * how many scored more than `points`, and the lowest score above it (the next rank up).
 */
function tally(
	db: Queryable,
	officeId: number,
	period: string,
	points: number
): { total: number; above: number; next: number | null } {
	return pointsStatements(db).tally.get({ officeId, period, points }) ?? { total: 0, above: 0, next: null };
}

function pageOf(db: Queryable, officeId: number, period: string, page: number, pageSize: number): BoardRow[] {
	const entries =
		pointsStatements(db).boardPage.get({
			officeId,
			period,
			limit: pageSize,
			offset: (page - 1) * pageSize
		}) ?? [];
	// Equal points share a rank (1, 2, 2, 4): the first row's rank is counted, the rest follow from the order.
	const ranked: BoardRow[] = [];
	entries.forEach(([userId, name, points], i) => {
		const prev = ranked[i - 1];
		const rank = !prev
			? countAbove(db, officeId, period, points) + 1
			: prev.points === points
				? prev.rank
				: (page - 1) * pageSize + i + 1;
		ranked.push({ userId, name, points, rank });
	});
	return ranked;
}

function ownPoints(db: Queryable, userId: number, officeId: number, period: string): number {
	return pointsStatements(db).periodPoints.get({ userId, officeId, period })?.points ?? 0;
}

/** One page of an office's board for a period, best first. Deactivated members, and those who left, are left out. */
export function officeBoard(
	db: Queryable,
	officeId: number,
	kind: PeriodKind,
	page = 1,
	pageSize = 50,
	now = new Date()
) {
	const period = currentPeriod(kind, now);
	return {
		period,
		rows: pageOf(db, officeId, period, page, pageSize),
		total: tally(db, officeId, period, 0).total
	};
}

/** A member's own standing: points, rank, and how many points to the next rank up (null when first). */
export function myStanding(
	db: Queryable,
	userId: number,
	officeId: number,
	kind: PeriodKind,
	now = new Date()
) {
	const period = currentPeriod(kind, now);
	const points = ownPoints(db, userId, officeId, period);
	const { above, next } = tally(db, officeId, period, points);
	return { points, rank: above + 1, toNext: next === null ? null : next - points };
}

/** The board page a member sees: one page and their own standing, counted in one pass. */
export function boardWithStanding(
	db: Queryable,
	officeId: number,
	userId: number,
	kind: PeriodKind,
	page = 1,
	pageSize = 50,
	now = new Date()
) {
	const period = currentPeriod(kind, now);
	const points = ownPoints(db, userId, officeId, period);
	const { total, above, next } = tally(db, officeId, period, points);
	return {
		board: { period, rows: pageOf(db, officeId, period, page, pageSize), total },
		me: { points, rank: above + 1, toNext: next === null ? null : next - points }
	};
}
