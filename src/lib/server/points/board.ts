import type { Queryable } from '../db';
import { prepared } from '../db/statements';
import { currentPeriod, type PeriodKind } from './periods';

export interface BoardRow {
	userId: number;
	name: string;
	points: number;
	rank: number;
}

// An office's members with points in a period: the rows that count (member = 1: the user is an
// active cadre or admin of that office), read in board order from the covering partial index
// points_period_board_idx without touching users. Prepared statements: boards are the most
// viewed pages.
const MEMBERS_IN_PERIOD = `FROM points_period pp WHERE pp.member = 1 AND pp.office_id = @officeId AND pp.period = @period`;

/** How many active members of the office scored more than `points` in the period: the rank is that plus one. */
function countAbove(db: Queryable, officeId: number, period: string, points: number): number {
	return (prepared(db, `SELECT count(*) AS n ${MEMBERS_IN_PERIOD} AND pp.points > @points`).get({ officeId, period, points }) as { n: number }).n;
}

/**
 * In one pass over the office's members with points in the period: how many there are,
 * how many scored more than `points`, and the lowest score above it (the next rank up).
 */
function tally(db: Queryable, officeId: number, period: string, points: number): { total: number; above: number; next: number | null } {
	return prepared(
		db,
		`SELECT count(*) AS total, count(*) FILTER (WHERE pp.points > @points) AS above, min(pp.points) FILTER (WHERE pp.points > @points) AS next
		${MEMBERS_IN_PERIOD} AND pp.points > 0`
	).get({ officeId, period, points }) as { total: number; above: number; next: number | null };
}

function pageOf(db: Queryable, officeId: number, period: string, page: number, pageSize: number): BoardRow[] {
	// The page as one JSON array of [userId, name, points]: SQLite builds it faster than the driver
	// returns fifty rows. Names are looked up for the page's rows only.
	const json = prepared(
		db,
		`SELECT json_group_array(json_array(pp.user_id, u.name, pp.points) ORDER BY pp.points DESC, pp.user_id)
		FROM (SELECT pp.user_id, pp.points ${MEMBERS_IN_PERIOD} AND pp.points > 0 ORDER BY pp.points DESC, pp.user_id LIMIT @limit OFFSET @offset) pp
		JOIN users u ON u.id = pp.user_id`
	)
		.pluck()
		.get({ officeId, period, limit: pageSize, offset: (page - 1) * pageSize }) as string;
	// Equal points share a rank (1, 2, 2, 4): the first row's rank is counted, the rest follow from the order.
	const ranked: BoardRow[] = [];
	(JSON.parse(json) as [number, string, number][]).forEach(([userId, name, points], i) => {
		const prev = ranked[i - 1];
		const rank = !prev ? countAbove(db, officeId, period, points) + 1 : prev.points === points ? prev.rank : (page - 1) * pageSize + i + 1;
		ranked.push({ userId, name, points, rank });
	});
	return ranked;
}

function ownPoints(db: Queryable, userId: number, officeId: number, period: string): number {
	const own = prepared(db, 'SELECT points FROM points_period WHERE user_id = ? AND office_id = ? AND period = ?').get(userId, officeId, period) as
		| { points: number }
		| undefined;
	return own?.points ?? 0;
}

/** One page of an office's board for a period, best first. Deactivated members, and those who left, are left out. */
export function officeBoard(db: Queryable, officeId: number, kind: PeriodKind, page = 1, pageSize = 50, now = new Date()) {
	const period = currentPeriod(kind, now);
	return { period, rows: pageOf(db, officeId, period, page, pageSize), total: tally(db, officeId, period, 0).total };
}

/** A member's own standing: points, rank, and how many points to the next rank up (null when first). */
export function myStanding(db: Queryable, userId: number, officeId: number, kind: PeriodKind, now = new Date()) {
	const period = currentPeriod(kind, now);
	const points = ownPoints(db, userId, officeId, period);
	const { above, next } = tally(db, officeId, period, points);
	return { points, rank: above + 1, toNext: next === null ? null : next - points };
}

/** The board page a member sees: one page and their own standing, counted in one pass. */
export function boardWithStanding(db: Queryable, officeId: number, userId: number, kind: PeriodKind, page = 1, pageSize = 50, now = new Date()) {
	const period = currentPeriod(kind, now);
	const points = ownPoints(db, userId, officeId, period);
	const { total, above, next } = tally(db, officeId, period, points);
	return {
		board: { period, rows: pageOf(db, officeId, period, page, pageSize), total },
		me: { points, rank: above + 1, toNext: next === null ? null : next - points }
	};
}
