import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { prepared } from '../db/statements';
import { shanghaiDay } from '../time';

export type PeriodKind = 'week' | 'month' | 'year' | 'all';
export const PERIOD_LABELS: Record<PeriodKind, string> = { week: '本周', month: '本月', year: '本年', all: '总榜' };

/** The Monday (YYYY-MM-DD) of the week a Shanghai day falls in. */
export function mondayOf(day: string): string {
	const d = new Date(`${day}T00:00:00Z`);
	const back = (d.getUTCDay() + 6) % 7; // Monday = 0
	return new Date(d.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

/** The aggregate keys a point earned on this Shanghai day counts towards. */
export function periodKeys(day: string): string[] {
	return [`d:${day}`, `w:${mondayOf(day)}`, `m:${day.slice(0, 7)}`, `y:${day.slice(0, 4)}`, 'all'];
}

/** The key of the current period of a kind, at `now` in Shanghai. */
export function currentPeriod(kind: PeriodKind, now = new Date()): string {
	const day = shanghaiDay(now);
	return { week: `w:${mondayOf(day)}`, month: `m:${day.slice(0, 7)}`, year: `y:${day.slice(0, 4)}`, all: 'all' }[kind];
}

/** Adds a ledger row's points to its aggregates; call in the ledger write's transaction. */
export function addToPeriods(tx: Queryable, userId: number, officeId: number | null, day: string, points: number): void {
	if (officeId === null) return;
	const [d, w, m, y, all] = periodKeys(day);
	const firstToday = !prepared(tx, 'SELECT 1 FROM points_period WHERE user_id = ? AND office_id = ? AND period = ?').get(userId, officeId, d);
	// One statement for the five periods.
	prepared(
		tx,
		`INSERT INTO points_period (user_id, office_id, period, points)
		VALUES (@userId, @officeId, @d, @points), (@userId, @officeId, @w, @points), (@userId, @officeId, @m, @points),
			(@userId, @officeId, @y, @points), (@userId, @officeId, @all, @points)
		ON CONFLICT (user_id, office_id, period) DO UPDATE SET points = points + excluded.points`
	).run({ userId, officeId, points, d, w, m, y, all });
	// A member's first points of the day in this office make one more learner there that day.
	if (firstToday) {
		prepared(tx, 'INSERT INTO office_daily (office_id, day, learners) VALUES (?, ?, 1) ON CONFLICT (office_id, day) DO UPDATE SET learners = learners + 1').run(
			officeId,
			day
		);
	}
}

/**
 * Recomputes every aggregate from the ledger (npm run points:rebuild); the same SQL
 * backfilled migrations 0005 (points_period) and 0010 (office_daily).
 */
export function rebuildPeriods(tx: Queryable): void {
	tx.run(sql`DELETE FROM points_period`);
	tx.run(sql`INSERT INTO points_period (user_id, office_id, period, points)
		SELECT user_id, office_id, period, sum(points) FROM (
			SELECT user_id, office_id, points, 'd:' || day AS period FROM points_ledger WHERE office_id IS NOT NULL
			UNION ALL SELECT user_id, office_id, points, 'w:' || date(day, '-6 days', 'weekday 1') FROM points_ledger WHERE office_id IS NOT NULL
			UNION ALL SELECT user_id, office_id, points, 'm:' || substr(day, 1, 7) FROM points_ledger WHERE office_id IS NOT NULL
			UNION ALL SELECT user_id, office_id, points, 'y:' || substr(day, 1, 4) FROM points_ledger WHERE office_id IS NOT NULL
			UNION ALL SELECT user_id, office_id, points, 'all' FROM points_ledger WHERE office_id IS NOT NULL
		) GROUP BY user_id, office_id, period`);
	tx.run(sql`DELETE FROM office_daily`);
	tx.run(sql`INSERT INTO office_daily (office_id, day, learners)
		SELECT office_id, substr(period, 3), count(*) FROM points_period
		WHERE period >= 'd:' AND period < 'd;' AND points > 0 GROUP BY office_id, period`);
}
