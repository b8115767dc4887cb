import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { MEMBER_ROLE_LIST } from '../db/schema';
import { shanghaiDay } from '../time';
import { DUE_ON_SQL } from '../courses/due';
import { currentPeriod, type PeriodKind } from './periods';

export type Metric = 'participation' | 'perCapita' | 'onTime';
export const METRIC_LABELS: Record<Metric, string> = { participation: '参学率', perCapita: '人均积分', onTime: '按期完成率' };

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
 * Offices compared fairly: rates per member, not totals, so a small county can
 * lead a large one. Members are current active members; learners and points are
 * theirs, earned in the office during the period (the rows that count on its board).
 */
export function compareOffices(db: Queryable, officeIds: number[], kind: PeriodKind, metric: Metric, now = new Date()): OfficeFigure[] {
	if (officeIds.length === 0) return [];
	const period = currentPeriod(kind, now);
	const today = shanghaiDay(now);
	const ids = sql.join(officeIds.map((id) => sql`${id}`), sql`, `);
	// Each enrolment by its own due day: a late joiner counts once theirs has passed.
	const dueOn = sql.raw(DUE_ON_SQL);
	const rows = db.all<{ officeId: number; name: string; members: number; learners: number; points: number; due: number; onTime: number }>(sql`
		SELECT o.id AS officeId, o.name AS name,
			(SELECT count(*) FROM users u WHERE u.office_id = o.id AND u.active = 1 AND u.role IN (${sql.raw(MEMBER_ROLE_LIST)})) AS members,
			(SELECT count(*) FROM points_period pp WHERE pp.member = 1 AND pp.office_id = o.id AND pp.period = ${period} AND pp.points > 0) AS learners,
			(SELECT coalesce(sum(pp.points), 0) FROM points_period pp WHERE pp.member = 1 AND pp.office_id = o.id AND pp.period = ${period}) AS points,
			(SELECT count(*) FROM enrolments e JOIN users u ON u.id = e.user_id JOIN courses c ON c.id = e.course_id
				WHERE u.office_id = o.id AND u.active = 1 AND e.active = 1 AND (${dueOn} < ${today} OR e.completed_at IS NOT NULL)) AS due,
			(SELECT count(*) FROM enrolments e JOIN users u ON u.id = e.user_id JOIN courses c ON c.id = e.course_id
				WHERE u.office_id = o.id AND u.active = 1 AND e.active = 1 AND e.completed_at IS NOT NULL
				AND strftime('%Y-%m-%d', e.completed_at / 1000, 'unixepoch', '+8 hours') <= ${dueOn}) AS onTime
		FROM offices o WHERE o.id IN (${ids})`);
	const figures = rows.map((r) => ({
		officeId: r.officeId,
		name: r.name,
		members: r.members,
		learners: r.learners,
		points: r.points,
		participation: r.members ? Math.round((r.learners / r.members) * 100) : 0,
		perCapita: r.members ? Math.round((r.points / r.members) * 10) / 10 : 0,
		onTime: r.due ? Math.round((r.onTime / r.due) * 100) : null,
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
