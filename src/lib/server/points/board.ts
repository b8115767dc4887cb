import type { Queryable } from '../db';
import { prepared } from '../db/statements';
import { currentPeriod, type PeriodKind } from './periods';

export interface BoardRow {
	userId: number;
	name: string;
	points: number;
	rank: number;
}

// An office's active members with points in a period, read in board order from the covering
// index points_period_board_idx. Prepared statements: boards are the most viewed pages.
const MEMBERS_IN_PERIOD = `FROM points_period pp JOIN users u ON u.id = pp.user_id AND u.active = 1
	WHERE pp.office_id = @officeId AND pp.period = @period`;

/** How many active members of the office scored more than `points` in the period: the rank is that plus one. */
function countAbove(db: Queryable, officeId: number, period: string, points: number): number {
	return (prepared(db, `SELECT count(*) AS n ${MEMBERS_IN_PERIOD} AND pp.points > @points`).get({ officeId, period, points }) as { n: number }).n;
}

/**
 * One page of an office's board for a period, best first. Equal points share a
 * rank (1, 2, 2, 4): the first row's rank is counted from the index, the rest
 * follow from the order. Deactivated members are left out.
 */
export function officeBoard(db: Queryable, officeId: number, kind: PeriodKind, page = 1, pageSize = 50, now = new Date()) {
	const period = currentPeriod(kind, now);
	const rows = prepared(
		db,
		`SELECT pp.user_id AS userId, u.name AS name, pp.points AS points ${MEMBERS_IN_PERIOD} AND pp.points > 0
		ORDER BY pp.points DESC, pp.user_id LIMIT @limit OFFSET @offset`
	).all({ officeId, period, limit: pageSize, offset: (page - 1) * pageSize }) as { userId: number; name: string; points: number }[];
	const total = countAbove(db, officeId, period, 0);
	const ranked: BoardRow[] = [];
	rows.forEach((r, i) => {
		const prev = ranked[i - 1];
		const rank = !prev ? countAbove(db, officeId, period, r.points) + 1 : prev.points === r.points ? prev.rank : (page - 1) * pageSize + i + 1;
		ranked.push({ ...r, rank });
	});
	return { period, rows: ranked, total };
}

/** A member's own standing: points, rank, and how many points to the next rank up (null when first). */
export function myStanding(db: Queryable, userId: number, officeId: number, kind: PeriodKind, now = new Date()) {
	const period = currentPeriod(kind, now);
	const own = prepared(db, 'SELECT points FROM points_period WHERE user_id = ? AND office_id = ? AND period = ?').get(userId, officeId, period) as
		| { points: number }
		| undefined;
	const points = own?.points ?? 0;
	const rank = countAbove(db, officeId, period, points) + 1;
	const next = (prepared(db, `SELECT min(pp.points) AS p ${MEMBERS_IN_PERIOD} AND pp.points > @points`).get({ officeId, period, points }) as { p: number | null }).p;
	return { points, rank, toNext: next === null ? null : next - points };
}
