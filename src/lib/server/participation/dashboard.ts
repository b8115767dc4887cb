import type { Queryable } from '../db';
import { prepared } from '../db/statements';
import { currentPeriod, type PeriodKind } from '../points/periods';
import { shanghaiDay } from '../time';

// Prepared statements with the office ids as one JSON parameter (IN json_each), so each
// query's text is fixed whatever the number of offices: built and compiled once per connection.
const IN_OFFICES = 'IN (SELECT value FROM json_each(@ids))';

/** Headline figures of a set of offices (an office rolled up with its descendants). */
export function headline(db: Queryable, officeIds: number[], kind: PeriodKind, now = new Date()) {
	const row = prepared(
		db,
		`SELECT
			(SELECT count(*) FROM users u WHERE u.office_id ${IN_OFFICES} AND u.active = 1 AND u.role IN ('cadre', 'office_admin')) AS members,
			(SELECT count(DISTINCT pp.user_id) FROM points_period pp JOIN users u ON u.id = pp.user_id
				WHERE pp.office_id ${IN_OFFICES} AND pp.period = @week AND pp.points > 0 AND u.active = 1 AND u.office_id ${IN_OFFICES}) AS activeWeek,
			(SELECT count(DISTINCT pp.user_id) FROM points_period pp JOIN users u ON u.id = pp.user_id
				WHERE pp.office_id ${IN_OFFICES} AND pp.period = @period AND pp.points > 0 AND u.active = 1 AND u.office_id ${IN_OFFICES}) AS learners,
			(SELECT avg(a.percent) FROM attempts a JOIN users u ON u.id = a.user_id
				WHERE u.office_id ${IN_OFFICES} AND u.active = 1 AND a.kind = 'module' AND a.submitted_at IS NOT NULL) AS avgScore,
			(SELECT count(*) FROM enrolments e JOIN users u ON u.id = e.user_id JOIN courses c ON c.id = e.course_id
				WHERE u.office_id ${IN_OFFICES} AND u.active = 1 AND e.active = 1 AND e.completed_at IS NULL AND c.due_on < @today) AS overdue`
	).get({ ids: JSON.stringify(officeIds), period: currentPeriod(kind, now), week: currentPeriod('week', now), today: shanghaiDay(now) }) as {
		members: number;
		activeWeek: number;
		learners: number;
		avgScore: number | null;
		overdue: number;
	};
	return {
		...row,
		participation: row.members ? Math.round((row.learners / row.members) * 100) : 0,
		avgScore: row.avgScore === null ? null : Math.round(row.avgScore)
	};
}

/**
 * Daily active learners (members with points that Shanghai day) over the last `days` days,
 * oldest first, from the maintained office_daily. Rolled up over several offices it is a
 * sum: a member who earned points in two of them on one day (moved that day) counts twice.
 */
export function dailyActive(db: Queryable, officeIds: number[], days: number, now = new Date()) {
	const dayList = Array.from({ length: days }, (_, i) => shanghaiDay(new Date(now.getTime() - (days - 1 - i) * 86_400_000)));
	const rows = prepared(
		db,
		`SELECT day, sum(learners) AS n FROM office_daily WHERE office_id ${IN_OFFICES} AND day >= @first AND day <= @last GROUP BY day`
	).all({ ids: JSON.stringify(officeIds), first: dayList[0], last: dayList.at(-1) }) as { day: string; n: number }[];
	const byDay = new Map(rows.map((r) => [r.day, r.n]));
	return dayList.map((day) => ({ day, learners: byDay.get(day) ?? 0 }));
}

export const MEMBER_SORTS = ['points', 'name', 'lastActive', 'lessons', 'quizzes', 'overdue', 'hours'] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];
export const MEMBER_STATUSES = ['all', 'studying', 'idle', 'overdue', 'inactive'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

type Figure = Exclude<MemberSort, 'name'> | 'done';

// Each figure of a member (whose id is the SQL expression `id`) for the period. Per member,
// points_period_user_period_idx answers both period lookups with a seek; lastActive takes
// the day keys as a range (LIKE 'd:%' is case-insensitive and cannot narrow the index).
const FIGURES: Record<Figure, (id: string) => string> = {
	points: (id) => `coalesce((SELECT sum(pp.points) FROM points_period pp WHERE pp.user_id = ${id} AND pp.period = @period), 0)`,
	lastActive: (id) => `(SELECT substr(max(pp.period), 3) FROM points_period pp WHERE pp.user_id = ${id} AND pp.period >= 'd:' AND pp.period < 'd;')`,
	lessons: (id) => `(SELECT count(*) FROM lesson_progress lp WHERE lp.user_id = ${id} AND lp.completed_at IS NOT NULL)`,
	quizzes: (id) => `(SELECT count(DISTINCT a.module_id) FROM attempts a WHERE a.user_id = ${id} AND a.kind = 'module' AND a.passed = 1)`,
	done: (id) => `(SELECT count(*) FROM enrolments e WHERE e.user_id = ${id} AND e.active = 1 AND e.completed_at IS NOT NULL)`,
	overdue: (id) =>
		`(SELECT count(*) FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.user_id = ${id} AND e.active = 1 AND e.completed_at IS NULL AND c.due_on < @today)`,
	hours: (id) => `coalesce((SELECT sum(ch.hours) FROM credit_hours ch WHERE ch.user_id = ${id} AND ch.year = @year), 0)`
};

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
	const q = opts.q?.trim() ? `%${opts.q.trim().replace(/[%_\\]/g, (c) => '\\' + c)}%` : null;
	const status = opts.status ?? 'all';
	// Sort keys are figure names from the list above, never user text.
	const sort = opts.sort && MEMBER_SORTS.includes(opts.sort) ? opts.sort : 'points';
	const direction = opts.desc === false ? 'ASC' : 'DESC';
	// Every member's figure is needed for what the filter and the sort look at; the rest only
	// for the rows of the page, so those are computed after the page is cut (MATERIALIZED).
	const needed = new Set<Figure>(['points']);
	if (sort !== 'name') needed.add(sort);
	if (status === 'overdue') needed.add('overdue');
	const members = `
		SELECT u.id AS userId, u.name AS name, u.username AS username, u.office_id AS officeId, u.active AS active,
			${[...needed].map((f) => `${FIGURES[f]('u.id')} AS ${f}`).join(', ')}
		FROM users u
		WHERE u.office_id ${IN_OFFICES} AND u.role IN ('cadre', 'office_admin')
			${q ? "AND (u.name LIKE @q ESCAPE '\\' OR u.username LIKE @q ESCAPE '\\')" : ''}
			${status === 'inactive' ? 'AND u.active = 0' : 'AND u.active = 1'}`;
	const filter = { studying: 'WHERE points > 0', idle: 'WHERE points = 0', overdue: 'WHERE overdue > 0', all: '', inactive: '' }[status];
	const today = shanghaiDay(now);
	const params = { ids: JSON.stringify(officeIds), period: currentPeriod(opts.kind, now), today, year: Number(today.slice(0, 4)), ...(q ? { q } : {}) };
	const total = (prepared(db, `SELECT count(*) AS n FROM (${members}) ${filter}`).get(params) as { n: number }).n;
	const pageSize = opts.pageSize ?? 20;
	const paging = Number.isFinite(pageSize) ? { limit: pageSize, offset: (Math.floor(opts.page ?? 1) - 1) * pageSize } : { limit: -1, offset: 0 };
	const figures = (Object.keys(FIGURES) as Figure[]).map((f) => (needed.has(f) ? `p.${f}` : `${FIGURES[f]('p.userId')} AS ${f}`));
	const rows = prepared(
		db,
		`WITH p AS MATERIALIZED (SELECT * FROM (${members}) ${filter} ORDER BY ${sort} ${direction}, userId LIMIT @limit OFFSET @offset)
		SELECT p.userId, p.name, p.username, o.name AS officeName, p.active, ${figures.join(', ')}
		FROM p JOIN offices o ON o.id = p.officeId
		ORDER BY ${sort === 'name' ? 'p.name' : sort} ${direction}, p.userId`
	).all({ ...params, ...paging }) as (Omit<MemberFigures, 'active'> & { active: number })[];
	return { rows: rows.map((r) => ({ ...r, active: Boolean(r.active) })), total };
}
