import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { MEMBER_ROLE_LIST } from '../db/schema';
import { addDays } from '../../format';
import { shanghaiDay } from '../time';
import { pointsStatements } from './statements';

export type PeriodKind = 'week' | 'month' | 'year' | 'all';
export const PERIOD_LABELS: Record<PeriodKind, string> = {
	week: '本周',
	month: '本月',
	year: '本年',
	all: '总榜'
};

/** The Monday (YYYY-MM-DD) of the week a Shanghai day falls in. */
export function mondayOf(day: string): string {
	const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
	return addDays(day, -((weekday + 6) % 7)); // Monday = 0 days back
}

/** The aggregate keys a point earned on this Shanghai day counts towards. */
export function periodKeys(day: string): string[] {
	return [`d:${day}`, `w:${mondayOf(day)}`, `m:${day.slice(0, 7)}`, `y:${day.slice(0, 4)}`, 'all'];
}

/** The key of the current period of a kind, at `now` in Shanghai. */
export function currentPeriod(kind: PeriodKind, now = new Date()): string {
	const day = shanghaiDay(now);
	return {
		week: `w:${mondayOf(day)}`,
		month: `m:${day.slice(0, 7)}`,
		year: `y:${day.slice(0, 4)}`,
		all: 'all'
	}[kind];
}

/** Adds a ledger row's points to its aggregates; call in the ledger write's transaction. */
export function addToPeriods(
	tx: Queryable,
	userId: number,
	officeId: number | null,
	day: string,
	points: number
): void {
	if (officeId === null) return;
	const [d, w, m, y, all] = periodKeys(day);
	// Prepared statements (points/statements.ts): every award runs this.
	const statements = pointsStatements(tx);
	const firstToday = !statements.periodPoints.get({ userId, officeId, period: d });
	// Points earned elsewhere (a row for an office the user has left) do not count on that board.
	const member = statements.isMember.get({ userId, officeId })?.n ?? 0;
	// One statement for the five periods.
	statements.addToPeriods.run({ userId, officeId, points, member, d, w, m, y, all });
	// A member's first points of the day in this office make one more learner there that day.
	if (firstToday) {
		statements.countLearner.run(officeId, day);
	}
}

/**
 * Recomputes every aggregate from the ledger (npm run points:rebuild); the same SQL
 * backfilled migrations 0005 (points_period) and 0010 (office_daily).
 */
export function rebuildPeriods(tx: Queryable): void {
	tx.run(sql`DELETE FROM points_period`);
	tx.run(sql`INSERT INTO points_period (user_id, office_id, period, points, member)
		SELECT p.user_id, p.office_id, p.period, p.points,
			EXISTS (SELECT 1 FROM users u WHERE u.id = p.user_id AND u.office_id = p.office_id AND u.active = 1 AND u.role IN (${sql.raw(MEMBER_ROLE_LIST)}))
		FROM (SELECT user_id, office_id, period, sum(points) AS points FROM (
			SELECT user_id, office_id, points, 'd:' || day AS period FROM points_ledger WHERE office_id IS NOT NULL
			UNION ALL SELECT user_id, office_id, points, 'w:' || date(day, '-6 days', 'weekday 1') FROM points_ledger WHERE office_id IS NOT NULL
			UNION ALL SELECT user_id, office_id, points, 'm:' || substr(day, 1, 7) FROM points_ledger WHERE office_id IS NOT NULL
			UNION ALL SELECT user_id, office_id, points, 'y:' || substr(day, 1, 4) FROM points_ledger WHERE office_id IS NOT NULL
			UNION ALL SELECT user_id, office_id, points, 'all' FROM points_ledger WHERE office_id IS NOT NULL
		) GROUP BY user_id, office_id, period) p`);
	tx.run(sql`DELETE FROM office_daily`);
	tx.run(sql`INSERT INTO office_daily (office_id, day, learners)
		SELECT office_id, substr(period, 3), count(*) FROM points_period
		WHERE period >= 'd:' AND period < 'd;' AND points > 0 GROUP BY office_id, period`);
}
