import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { currentPeriod, type PeriodKind } from './periods';

export interface BoardRow {
	userId: number;
	name: string;
	points: number;
	rank: number;
}

/** How many active members of the office scored more than `points` in the period: the rank is that plus one. */
function countAbove(db: Queryable, officeId: number, period: string, points: number): number {
	return (
		db.get<{ n: number }>(sql`
			SELECT count(*) AS n FROM points_period pp JOIN users u ON u.id = pp.user_id AND u.active = 1
			WHERE pp.office_id = ${officeId} AND pp.period = ${period} AND pp.points > ${points}`)?.n ?? 0
	);
}

/**
 * One page of an office's board for a period, best first. Equal points share a
 * rank (1, 2, 2, 4): the first row's rank is counted from the index, the rest
 * follow from the order. Deactivated members are left out.
 */
export function officeBoard(db: Queryable, officeId: number, kind: PeriodKind, page = 1, pageSize = 50, now = new Date()) {
	const period = currentPeriod(kind, now);
	const rows = db.all<{ userId: number; name: string; points: number }>(sql`
		SELECT pp.user_id AS userId, u.name AS name, pp.points AS points
		FROM points_period pp JOIN users u ON u.id = pp.user_id AND u.active = 1
		WHERE pp.office_id = ${officeId} AND pp.period = ${period} AND pp.points > 0
		ORDER BY pp.points DESC, pp.user_id
		LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
	const total =
		db.get<{ n: number }>(sql`
			SELECT count(*) AS n FROM points_period pp JOIN users u ON u.id = pp.user_id AND u.active = 1
			WHERE pp.office_id = ${officeId} AND pp.period = ${period} AND pp.points > 0`)?.n ?? 0;
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
	const points =
		db.get<{ p: number }>(sql`SELECT points AS p FROM points_period WHERE user_id = ${userId} AND office_id = ${officeId} AND period = ${period}`)?.p ?? 0;
	const rank = countAbove(db, officeId, period, points) + 1;
	const next = db.get<{ p: number | null }>(sql`
		SELECT min(pp.points) AS p FROM points_period pp JOIN users u ON u.id = pp.user_id AND u.active = 1
		WHERE pp.office_id = ${officeId} AND pp.period = ${period} AND pp.points > ${points}`)?.p;
	return { points, rank, toNext: next == null ? null : next - points };
}
