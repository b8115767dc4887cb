import type { Queryable } from '../db';
import { MEMBER_ROLE_LIST } from '../db/schema';
import { prepared } from '../db/statements';
import { currentPeriod, type PeriodKind } from '../points/periods';
import { shanghaiDay } from '../time';
import { DUE_ON_SQL } from '../courses/due';

// Prepared statements, so each query is built and compiled once per connection: one office is
// `= @office` (the common case, and the cheapest plan), several are one JSON parameter
// (IN json_each) whatever their number. Pass officeParams() with either.
const inOffices = (column: string, officeIds: number[]) => (officeIds.length === 1 ? `${column} = @office` : `${column} IN (SELECT value FROM json_each(@ids))`);
const officeParams = (officeIds: number[]) => ({ office: officeIds[0] ?? null, ids: JSON.stringify(officeIds) });

const membersOf = (officeIds: number[]) => `FROM users u WHERE ${inOffices('u.office_id', officeIds)} AND u.active = 1 AND u.role IN (${MEMBER_ROLE_LIST})`;

// Members with points in a period in their current office: the rows that count on the board
// (member = 1), read from its covering index (points_period_board_idx), one per member, in
// board order when one office is read.
const scoredIn = (period: string, officeIds: number[]) =>
	`FROM points_period pp WHERE pp.member = 1 AND ${inOffices('pp.office_id', officeIds)} AND pp.period = ${period} AND pp.points > 0`;

/** Headline figures of a set of offices (an office rolled up with its descendants). */
export function headline(db: Queryable, officeIds: number[], kind: PeriodKind, now = new Date()) {
	const inTheOffices = inOffices('u.office_id', officeIds);
	const row = prepared(
		db,
		`SELECT
			(SELECT count(*) ${membersOf(officeIds)}) AS members,
			(SELECT count(*) ${scoredIn('@week', officeIds)}) AS activeWeek,
			(SELECT count(*) ${scoredIn('@period', officeIds)}) AS learners,
			(SELECT avg(a.percent) FROM attempts a JOIN users u ON u.id = a.user_id
				WHERE ${inTheOffices} AND u.active = 1 AND a.kind = 'module' AND a.submitted_at IS NOT NULL) AS avgScore,
			(SELECT count(*) FROM enrolments e JOIN users u ON u.id = e.user_id JOIN courses c ON c.id = e.course_id
				WHERE ${inTheOffices} AND u.active = 1 AND e.active = 1 AND e.completed_at IS NULL AND ${DUE_ON_SQL} < @today) AS overdue`
	).get({ ...officeParams(officeIds), period: currentPeriod(kind, now), week: currentPeriod('week', now), today: shanghaiDay(now) }) as {
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
 * Daily active learners (members with points that Shanghai day) over the last `days` days
 * up to today, oldest first, from the maintained office_daily. Rolled up over several
 * offices it is a sum: a member who earned points in two of them on one day (moved that
 * day) counts twice.
 */
export function dailyActive(db: Queryable, officeIds: number[], days: number, now = new Date()): { first: string; learners: number[] } {
	const first = shanghaiDay(new Date(now.getTime() - (days - 1) * 86_400_000));
	// One number per day, by position from the first day: no day strings to build or send.
	const learners = new Array<number>(days).fill(0);
	// [position, learners] pairs as one JSON value: one row to read instead of ninety.
	const perDay =
		officeIds.length === 1
			? `SELECT CAST(julianday(day) - julianday(@first) AS INTEGER) AS i, learners AS n FROM office_daily WHERE office_id = @office AND day BETWEEN @first AND @last`
			: `SELECT CAST(julianday(day) - julianday(@first) AS INTEGER) AS i, sum(learners) AS n FROM office_daily
				WHERE office_id IN (SELECT value FROM json_each(@ids)) AND day BETWEEN @first AND @last GROUP BY day`;
	const pairs = prepared(db, `SELECT json_group_array(json_array(i, n)) FROM (${perDay})`)
		.pluck()
		.get({ ...officeParams(officeIds), first, last: shanghaiDay(now) }) as string;
	for (const [i, n] of JSON.parse(pairs) as [number, number][]) learners[i] = n;
	return { first, learners };
}

export const MEMBER_SORTS = ['points', 'name', 'lastActive', 'lessons', 'quizzes', 'overdue', 'hours'] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];
export const MEMBER_STATUSES = ['all', 'studying', 'idle', 'overdue', 'inactive'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

type Figure = Exclude<MemberSort, 'name'> | 'done';

// Each figure of a member (a users row aliased `u`) for the period. Points are those earned in
// the member's current office, as on that office's board (points_period holds them per office).
// lastActive takes the day keys as a range (LIKE 'd:%' is case-insensitive and cannot narrow
// the index).
const FIGURES: Record<Figure, (u: string) => string> = {
	points: (u) =>
		`coalesce((SELECT pp.points FROM points_period pp WHERE pp.user_id = ${u}.id AND pp.office_id = ${u}.office_id AND pp.period = @period), 0)`,
	lastActive: (u) => `(SELECT substr(max(pp.period), 3) FROM points_period pp WHERE pp.user_id = ${u}.id AND pp.period >= 'd:' AND pp.period < 'd;')`,
	lessons: (u) => `(SELECT count(*) FROM lesson_progress lp WHERE lp.user_id = ${u}.id AND lp.completed_at IS NOT NULL)`,
	quizzes: (u) => `(SELECT count(DISTINCT a.module_id) FROM attempts a WHERE a.user_id = ${u}.id AND a.kind = 'module' AND a.passed = 1)`,
	done: (u) => `(SELECT count(*) FROM enrolments e WHERE e.user_id = ${u}.id AND e.active = 1 AND e.completed_at IS NOT NULL)`,
	overdue: (u) =>
		`(SELECT count(*) FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.user_id = ${u}.id AND e.active = 1 AND e.completed_at IS NULL AND ${DUE_ON_SQL} < @today)`,
	hours: (u) => `coalesce((SELECT sum(ch.hours) FROM credit_hours ch WHERE ch.user_id = ${u}.id AND ch.year = @year), 0)`
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

interface TableQuery {
	kind: PeriodKind;
	q?: string;
	status?: MemberStatus;
	sort?: MemberSort;
	desc?: boolean;
	page?: number;
	pageSize?: number;
	/** The offices' member count when the caller has it (headline().members): the unfiltered table's total. */
	members?: number;
}

type Params = { office: number | null; ids: string; period: string; today: string; year: number; q?: string };
type Paging = { limit: number; offset: number };

/**
 * The member table: one row per member of the offices with their figures for
 * the period, filtered by name and status, sorted, one page at a time (or all
 * rows for an export, when pageSize is Infinity).
 */
export function memberTable(db: Queryable, officeIds: number[], opts: TableQuery, now = new Date()): { rows: MemberFigures[]; total: number } {
	const q = opts.q?.trim() ? `%${opts.q.trim().replace(/[%_\\]/g, (c) => '\\' + c)}%` : null;
	const status = opts.status ?? 'all';
	// Sort keys are figure names from the list above, never user text.
	const sort = opts.sort && MEMBER_SORTS.includes(opts.sort) ? opts.sort : 'points';
	const desc = opts.desc !== false;
	const today = shanghaiDay(now);
	const params: Params = { ...officeParams(officeIds), period: currentPeriod(opts.kind, now), today, year: Number(today.slice(0, 4)), ...(q ? { q } : {}) };
	const pageSize = opts.pageSize ?? 20;
	const paging = Number.isFinite(pageSize) ? { limit: pageSize, offset: (Math.floor(opts.page ?? 1) - 1) * pageSize } : { limit: -1, offset: 0 };
	// The table as it first opens (and its 学习中 filter) reads the office's board in order.
	const page =
		sort === 'points' && desc && !q && (status === 'all' || status === 'studying')
			? inBoardOrder(db, officeIds, params, paging, status, opts.members)
			: sorted(db, officeIds, { q, status, sort, desc }, params, paging);
	return { rows: figuresOf(db, page.ids, params), total: page.total };
}

/**
 * One page of member ids for any sort and filter: the figures the filter and the sort look
 * at are computed for every member, the rest later for the page only (figuresOf).
 */
function sorted(
	db: Queryable,
	officeIds: number[],
	o: { q: string | null; status: MemberStatus; sort: MemberSort; desc: boolean },
	params: Params,
	paging: Paging
): { ids: number[]; total: number } {
	const needed = new Set<Figure>(['points']);
	if (o.sort !== 'name') needed.add(o.sort);
	if (o.status === 'overdue') needed.add('overdue');
	const rows = `
		SELECT u.id AS userId, u.name AS name, u.name_key AS nameKey, ${[...needed].map((f) => `${FIGURES[f]('u')} AS ${f}`).join(', ')}
		FROM users u
		WHERE ${inOffices('u.office_id', officeIds)} AND u.role IN (${MEMBER_ROLE_LIST})
			${o.q ? "AND (u.name LIKE @q ESCAPE '\\' OR u.username LIKE @q ESCAPE '\\')" : ''}
			${o.status === 'inactive' ? 'AND u.active = 0' : 'AND u.active = 1'}`;
	const filter = { studying: 'WHERE points > 0', idle: 'WHERE points = 0', overdue: 'WHERE overdue > 0', all: '', inactive: '' }[o.status];
	const total = (prepared(db, `SELECT count(*) AS n FROM (${rows}) ${filter}`).get(params) as { n: number }).n;
	const dir = o.desc ? 'DESC' : 'ASC';
	// Names in pinyin order (users.name_key, see users/name-key.ts), the same-sounding by character.
	const order = o.sort === 'name' ? `nameKey ${dir}, name ${dir}` : `${o.sort} ${dir}`;
	const ids = prepared(db, `SELECT userId FROM (${rows}) ${filter} ORDER BY ${order}, userId LIMIT @limit OFFSET @offset`)
		.pluck()
		.all({ ...params, ...paging }) as number[];
	return { ids, total };
}

/**
 * A page of the table sorted by points, most first (as it opens), without computing every
 * member's points: the members who scored come from the board index in order (one office
 * reads only the page), then those who did not, by id, as the generic sort orders them.
 */
function inBoardOrder(db: Queryable, officeIds: number[], params: Params, paging: Paging, status: 'all' | 'studying', members?: number) {
	const scored = scoredIn('@period', officeIds);
	const scoredCount = () => prepared(db, `SELECT count(*) ${scored}`).pluck().get(params) as number;
	// For one office the index is already in board order; several offices are merged by a sort.
	const ids = prepared(db, `SELECT pp.user_id ${scored} ORDER BY pp.points DESC, pp.user_id LIMIT @limit OFFSET @offset`)
		.pluck()
		.all({ ...params, ...paging }) as number[];
	if (status === 'studying') return { ids, total: scoredCount() };
	const total = members ?? (prepared(db, `SELECT count(*) ${membersOf(officeIds)}`).pluck().get(params) as number);
	const wanted = paging.limit < 0 ? Infinity : paging.limit;
	if (ids.length < wanted) {
		// The page runs past the members who scored: the rest come from those who did not.
		const scoredBefore = ids.length > 0 ? paging.offset + ids.length : scoredCount();
		const idle = prepared(
			db,
			`SELECT u.id ${membersOf(officeIds)}
				AND NOT EXISTS (SELECT 1 FROM points_period pp WHERE pp.user_id = u.id AND pp.office_id = u.office_id AND pp.period = @period AND pp.points > 0)
			ORDER BY u.id LIMIT @limit OFFSET @offset`
		)
			.pluck()
			.all({ ...params, limit: paging.limit < 0 ? -1 : paging.limit - ids.length, offset: Math.max(0, paging.offset - scoredBefore) }) as number[];
		ids.push(...idle);
	}
	return { ids, total };
}

// figuresOf's figures, in the order its JSON rows hold them (the destructuring below follows it).
const ROW_FIGURES = ['points', 'lastActive', 'lessons', 'quizzes', 'done', 'overdue', 'hours'] as const satisfies readonly Figure[];
type FigureRow = [number, string, string, string, number, number, string | null, number, number, number, number, number];

/** Every figure of the given members, in the order given. */
function figuresOf(db: Queryable, ids: number[], params: Params): MemberFigures[] {
	if (ids.length === 0) return [];
	// The page as one JSON array of rows: SQLite builds it faster than the driver returns rows.
	const json = prepared(
		db,
		`SELECT json_group_array(json_array(u.id, u.name, u.username, o.name, u.active, ${ROW_FIGURES.map((f) => FIGURES[f]('u')).join(', ')}) ORDER BY p.key)
		FROM json_each(@page) p JOIN users u ON u.id = p.value JOIN offices o ON o.id = u.office_id`
	)
		.pluck()
		.get({ ...params, page: JSON.stringify(ids) }) as string;
	return (JSON.parse(json) as FigureRow[]).map(([userId, name, username, officeName, active, points, lastActive, lessons, quizzes, done, overdue, hours]) => ({
		userId,
		name,
		username,
		officeName,
		active: active === 1,
		points,
		lastActive,
		lessons,
		quizzes,
		done,
		overdue,
		hours
	}));
}
