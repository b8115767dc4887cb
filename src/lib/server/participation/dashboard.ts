import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { currentPeriod, type PeriodKind } from '../points/periods';
import { shanghaiDay } from '../time';

const list = (ids: number[]) => sql.join(ids.map((id) => sql`${id}`), sql`, `);

/** Headline figures of a set of offices (an office rolled up with its descendants). */
export function headline(db: Queryable, officeIds: number[], kind: PeriodKind, now = new Date()) {
	const period = currentPeriod(kind, now);
	const week = currentPeriod('week', now);
	const today = shanghaiDay(now);
	const ids = list(officeIds);
	const row = db.get<{ members: number; activeWeek: number; learners: number; avgScore: number | null; overdue: number }>(sql`
		SELECT
			(SELECT count(*) FROM users u WHERE u.office_id IN (${ids}) AND u.active = 1 AND u.role IN ('cadre', 'office_admin')) AS members,
			(SELECT count(DISTINCT pp.user_id) FROM points_period pp JOIN users u ON u.id = pp.user_id
				WHERE pp.office_id IN (${ids}) AND pp.period = ${week} AND pp.points > 0 AND u.active = 1 AND u.office_id IN (${ids})) AS activeWeek,
			(SELECT count(DISTINCT pp.user_id) FROM points_period pp JOIN users u ON u.id = pp.user_id
				WHERE pp.office_id IN (${ids}) AND pp.period = ${period} AND pp.points > 0 AND u.active = 1 AND u.office_id IN (${ids})) AS learners,
			(SELECT avg(a.percent) FROM attempts a JOIN users u ON u.id = a.user_id
				WHERE u.office_id IN (${ids}) AND u.active = 1 AND a.kind = 'module' AND a.submitted_at IS NOT NULL) AS avgScore,
			(SELECT count(*) FROM enrolments e JOIN users u ON u.id = e.user_id JOIN courses c ON c.id = e.course_id
				WHERE u.office_id IN (${ids}) AND u.active = 1 AND e.active = 1 AND e.completed_at IS NULL AND c.due_on < ${today}) AS overdue`)!;
	return {
		...row,
		participation: row.members ? Math.round((row.learners / row.members) * 100) : 0,
		avgScore: row.avgScore === null ? null : Math.round(row.avgScore)
	};
}

/** Daily active learners (anyone with points that Shanghai day) over the last `days` days, oldest first. */
export function dailyActive(db: Queryable, officeIds: number[], days: number, now = new Date()) {
	const dayList = Array.from({ length: days }, (_, i) => shanghaiDay(new Date(now.getTime() - (days - 1 - i) * 86_400_000)));
	const rows = db.all<{ period: string; n: number }>(sql`
		SELECT pp.period AS period, count(DISTINCT pp.user_id) AS n FROM points_period pp
		WHERE pp.office_id IN (${list(officeIds)}) AND pp.period >= ${'d:' + dayList[0]} AND pp.period <= ${'d:' + dayList.at(-1)} AND pp.points > 0
		GROUP BY pp.period`);
	const byDay = new Map(rows.map((r) => [r.period.slice(2), r.n]));
	return dayList.map((day) => ({ day, learners: byDay.get(day) ?? 0 }));
}

export const MEMBER_SORTS = ['points', 'name', 'lastActive', 'lessons', 'quizzes', 'overdue', 'hours'] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];
export const MEMBER_STATUSES = ['all', 'studying', 'idle', 'overdue', 'inactive'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export interface MemberFigures {
	userId: number;
	name: string;
	username: string;
	officeName: string;
	active: boolean;
	points: number;
	lastActive: string | null;
	lessons: number;
	quizzes: number;
	done: number;
	overdue: number;
	hours: number;
}

/**
 * The member table: one row per member of the offices with their figures for
 * the period, filtered by name and status, sorted, one page at a time (or all
 * rows for an export, when pageSize is Infinity).
 */
export function memberTable(
	db: Queryable,
	officeIds: number[],
	opts: { kind: PeriodKind; q?: string; status?: MemberStatus; sort?: MemberSort; desc?: boolean; page?: number; pageSize?: number },
	now = new Date()
): { rows: MemberFigures[]; total: number } {
	const period = currentPeriod(opts.kind, now);
	const today = shanghaiDay(now);
	const year = Number(today.slice(0, 4));
	const ids = list(officeIds);
	const q = opts.q?.trim() ? `%${opts.q.trim().replace(/[%_\\]/g, (c) => '\\' + c)}%` : null;
	const status = opts.status ?? 'all';
	// Per member, points_period_user_period_idx answers both period lookups with a seek; lastActive
	// takes the day keys as a range (LIKE 'd:%' is case-insensitive and cannot narrow the index).
	const base = sql`
		SELECT u.id AS userId, u.name AS name, u.username AS username, o.name AS officeName, u.active AS active,
			coalesce((SELECT sum(pp.points) FROM points_period pp WHERE pp.user_id = u.id AND pp.period = ${period}), 0) AS points,
			(SELECT substr(max(pp.period), 3) FROM points_period pp WHERE pp.user_id = u.id AND pp.period >= 'd:' AND pp.period < 'd;') AS lastActive,
			(SELECT count(*) FROM lesson_progress lp WHERE lp.user_id = u.id AND lp.completed_at IS NOT NULL) AS lessons,
			(SELECT count(DISTINCT a.module_id) FROM attempts a WHERE a.user_id = u.id AND a.kind = 'module' AND a.passed = 1) AS quizzes,
			(SELECT count(*) FROM enrolments e WHERE e.user_id = u.id AND e.active = 1 AND e.completed_at IS NOT NULL) AS done,
			(SELECT count(*) FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.user_id = u.id AND e.active = 1 AND e.completed_at IS NULL AND c.due_on < ${today}) AS overdue,
			coalesce((SELECT sum(ch.hours) FROM credit_hours ch WHERE ch.user_id = u.id AND ch.year = ${year}), 0) AS hours
		FROM users u JOIN offices o ON o.id = u.office_id
		WHERE u.office_id IN (${ids}) AND u.role IN ('cadre', 'office_admin')
			${q ? sql`AND (u.name LIKE ${q} ESCAPE '\\' OR u.username LIKE ${q} ESCAPE '\\')` : sql``}
			${status === 'inactive' ? sql`AND u.active = 0` : sql`AND u.active = 1`}`;
	const filter =
		status === 'studying' ? sql`WHERE points > 0` : status === 'idle' ? sql`WHERE points = 0` : status === 'overdue' ? sql`WHERE overdue > 0` : sql``;
	const sortColumn = { points: sql`points`, name: sql`name`, lastActive: sql`lastActive`, lessons: sql`lessons`, quizzes: sql`quizzes`, overdue: sql`overdue`, hours: sql`hours` }[opts.sort ?? 'points'];
	const direction = opts.desc === false ? sql`ASC` : sql`DESC`;
	const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM (${base}) ${filter}`)?.n ?? 0;
	const pageSize = opts.pageSize ?? 20;
	const paging = Number.isFinite(pageSize) ? sql`LIMIT ${pageSize} OFFSET ${((opts.page ?? 1) - 1) * pageSize}` : sql``;
	const rows = db.all<MemberFigures>(sql`SELECT * FROM (${base}) ${filter} ORDER BY ${sortColumn} ${direction}, userId ${paging}`);
	return { rows: rows.map((r) => ({ ...r, active: Boolean(r.active) })), total };
}
