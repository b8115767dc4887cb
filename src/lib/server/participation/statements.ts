// The participation dashboard's statements, prepared once per connection (see db/statements.ts).
// Raw SQL: subqueries per figure, JSON built by SQLite, and literals the board's partial index
// needs. One office is `= @office` (the common case, and the cheapest plan), several are one JSON
// parameter (IN json_each(@ids)) whatever their number, so each text is fixed; pass
// officeParams() with either.
import type { Queryable } from '../db';
import { MEMBER_ROLE_LIST } from '../db/schema';
import { pluck, preparedOnce, query, statements, type Select } from '../db/statements';
import { DUE_ON_SQL } from '../courses/due';

type Offices = 'one' | 'several';
const officesOf = (officeIds: number[]): Offices => (officeIds.length === 1 ? 'one' : 'several');
const inOffices = (column: string, offices: Offices) =>
	offices === 'one' ? `${column} = @office` : `${column} IN (SELECT value FROM json_each(@ids))`;
export const officeParams = (officeIds: number[]) => ({
	office: officeIds[0] ?? null,
	ids: JSON.stringify(officeIds)
});

const membersOf = (offices: Offices) =>
	`FROM users u WHERE ${inOffices('u.office_id', offices)} AND u.active = 1 AND u.role IN (${MEMBER_ROLE_LIST})`;

// Members with points in a period in their current office: the rows that count on the board
// (member = 1), read from its covering index (points_period_board_idx), one per member, in
// board order when one office is read.
const scoredIn = (period: string, offices: Offices) =>
	`FROM points_period pp WHERE pp.member = 1 AND ${inOffices('pp.office_id', offices)} AND pp.period = ${period} AND pp.points > 0`;

// Each figure of a member (a users row aliased `u`) for the period. Points are those earned in
// the member's current office, as on that office's board (points_period holds them per office).
// lastActive takes the day keys as a range (LIKE 'd:%' is case-insensitive and cannot narrow
// the index).
export const FIGURES = {
	points: (u: string) =>
		`coalesce((SELECT pp.points FROM points_period pp WHERE pp.user_id = ${u}.id AND pp.office_id = ${u}.office_id AND pp.period = @period), 0)`,
	lastActive: (u: string) =>
		`(SELECT substr(max(pp.period), 3) FROM points_period pp WHERE pp.user_id = ${u}.id AND pp.period >= 'd:' AND pp.period < 'd;')`,
	lessons: (u: string) =>
		`(SELECT count(*) FROM lesson_progress lp WHERE lp.user_id = ${u}.id AND lp.completed_at IS NOT NULL)`,
	quizzes: (u: string) =>
		`(SELECT count(DISTINCT a.module_id) FROM attempts a WHERE a.user_id = ${u}.id AND a.kind = 'module' AND a.passed = 1)`,
	done: (u: string) =>
		`(SELECT count(*) FROM enrolments e WHERE e.user_id = ${u}.id AND e.active = 1 AND e.completed_at IS NOT NULL)`,
	overdue: (u: string) =>
		`(SELECT count(*) FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.user_id = ${u}.id AND e.active = 1 AND e.completed_at IS NULL AND ${DUE_ON_SQL} < @today)`,
	hours: (u: string) =>
		`coalesce((SELECT sum(ch.hours) FROM credit_hours ch WHERE ch.user_id = ${u}.id AND ch.year = @year), 0)`
};
export type Figure = keyof typeof FIGURES;

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

// A member's figures as a JSON object with these names: one per field of MemberFigures (the type
// checks that none is missing), so the page's rows need no decoding.
const FIGURE_FIELDS: { [K in keyof MemberFigures]: string } = {
	userId: 'u.id',
	name: 'u.name',
	username: 'u.username',
	officeName: 'o.name',
	active: "json(iif(u.active = 1, 'true', 'false'))",
	points: FIGURES.points('u'),
	lastActive: FIGURES.lastActive('u'),
	lessons: FIGURES.lessons('u'),
	quizzes: FIGURES.quizzes('u'),
	done: FIGURES.done('u'),
	overdue: FIGURES.overdue('u'),
	hours: FIGURES.hours('u')
};

function forOffices(q: Queryable, offices: Offices) {
	const scored = scoredIn('@period', offices);
	return {
		/** { office, ids, period, week, today }: the headline figures. */
		headline: query(
			q,
			`SELECT
				(SELECT count(*) ${membersOf(offices)}) AS members,
				(SELECT count(*) ${scoredIn('@week', offices)}) AS active_week,
				(SELECT count(*) ${scored}) AS learners,
				(SELECT avg(a.percent) FROM attempts a JOIN users u ON u.id = a.user_id
					WHERE ${inOffices('u.office_id', offices)} AND u.active = 1 AND a.kind = 'module' AND a.submitted_at IS NOT NULL) AS avg_score,
				(SELECT count(*) FROM enrolments e JOIN users u ON u.id = e.user_id JOIN courses c ON c.id = e.course_id
					WHERE ${inOffices('u.office_id', offices)} AND u.active = 1 AND e.active = 1 AND e.completed_at IS NULL AND ${DUE_ON_SQL} < @today) AS overdue`,
			(r: {
				members: number;
				active_week: number;
				learners: number;
				avg_score: number | null;
				overdue: number;
			}) => ({
				members: r.members,
				activeWeek: r.active_week,
				learners: r.learners,
				avgScore: r.avg_score,
				overdue: r.overdue
			})
		),
		/**
		 * { office, ids, first, last }: learners per day as [day, learners] pairs, the day counted
		 * from the first; one JSON value, one row to read instead of ninety.
		 */
		dailyActive: pluck(
			q,
			`SELECT json_group_array(json_array(i, n)) FROM (${
				offices === 'one'
					? `SELECT CAST(julianday(day) - julianday(@first) AS INTEGER) AS i, learners AS n FROM office_daily WHERE office_id = @office AND day BETWEEN @first AND @last`
					: `SELECT CAST(julianday(day) - julianday(@first) AS INTEGER) AS i, sum(learners) AS n FROM office_daily
						WHERE office_id IN (SELECT value FROM json_each(@ids)) AND day BETWEEN @first AND @last GROUP BY day`
			})`,
			(json: string) => JSON.parse(json) as [day: number, learners: number][]
		),
		/** { office, ids, period }: members with points in the period. */
		scoredCount: pluck<number>(q, `SELECT count(*) ${scored}`),
		/** { office, ids, period, limit, offset }: their ids, most points first. */
		scoredIds: pluck<number>(
			q,
			`SELECT pp.user_id ${scored} ORDER BY pp.points DESC, pp.user_id LIMIT @limit OFFSET @offset`
		),
		/** { office, ids }: active members. */
		memberCount: pluck<number>(q, `SELECT count(*) ${membersOf(offices)}`),
		/** { office, ids, period, limit, offset }: ids of the members without points in the period, by id. */
		idleIds: pluck<number>(
			q,
			`SELECT u.id ${membersOf(offices)}
				AND NOT EXISTS (SELECT 1 FROM points_period pp WHERE pp.user_id = u.id AND pp.office_id = u.office_id AND pp.period = @period AND pp.points > 0)
			ORDER BY u.id LIMIT @limit OFFSET @offset`
		)
	};
}

export const dashboardStatements = statements((q) => ({
	one: forOffices(q, 'one'),
	several: forOffices(q, 'several'),
	/**
	 * { page (JSON array of user ids), period, today, year }: every figure of these members, in
	 * that order, as one JSON array of objects: SQLite builds it faster than the driver returns rows.
	 */
	memberFigures: pluck(
		q,
		`SELECT json_group_array(json_object(${Object.entries(FIGURE_FIELDS)
			.map(([name, value]) => `'${name}', ${value}`)
			.join(', ')}) ORDER BY p.key)
		FROM json_each(@page) p JOIN users u ON u.id = p.value JOIN offices o ON o.id = u.office_id`,
		(json: string) => JSON.parse(json) as MemberFigures[]
	)
}));

/** The statements for these offices: one office's, or those of several rolled up. */
export const officeStatements = (q: Queryable, officeIds: number[]) =>
	dashboardStatements(q)[officesOf(officeIds)];

export interface MemberFilter {
	/** The figures to compute for every member (those the filter and the sort need). */
	figures: Figure[];
	search: boolean;
	inactive: boolean;
	/** A WHERE clause over the figures, or ''. */
	where: string;
	/** An ORDER BY list over the figures, name, nameKey. */
	order: string;
}

/**
 * The member table in any other sort or filter: count and one page of ids. Their text varies with
 * the sort and the filter, so each variant is prepared on first use under its text, through the
 * same cache as the rest.
 */
export function filteredMembers(
	q: Queryable,
	officeIds: number[],
	f: MemberFilter
): { count: Select<number>; ids: Select<number> } {
	const rows = `
		SELECT u.id AS userId, u.name AS name, u.name_key AS nameKey, ${f.figures.map((figure) => `${FIGURES[figure]('u')} AS ${figure}`).join(', ')}
		FROM users u
		WHERE ${inOffices('u.office_id', officesOf(officeIds))} AND u.role IN (${MEMBER_ROLE_LIST})
			${f.search ? "AND (u.name LIKE @q ESCAPE '\\' OR u.username LIKE @q ESCAPE '\\')" : ''}
			${f.inactive ? 'AND u.active = 0' : 'AND u.active = 1'}`;
	const count = `SELECT count(*) FROM (${rows}) ${f.where}`;
	const ids = `SELECT userId FROM (${rows}) ${f.where} ORDER BY ${f.order}, userId LIMIT @limit OFFSET @offset`;
	return {
		count: preparedOnce(q, count, () => pluck<number>(q, count)),
		ids: preparedOnce(q, ids, () => pluck<number>(q, ids))
	};
}
