import type { Queryable } from '../db';
import { currentPeriod, type PeriodKind } from '../points/periods';
import { shanghaiDay } from '../time';
import {
	dashboardStatements,
	filteredMembers,
	officeParams,
	officeStatements,
	type Figure,
	type MemberFigures
} from './statements';

export type { MemberFigures } from './statements';

// Every query here is prepared once per connection (participation/statements.ts).

/** Headline figures of a set of offices (an office rolled up with its descendants). */
export function headline(db: Queryable, officeIds: number[], kind: PeriodKind, now = new Date()) {
	const row = officeStatements(db, officeIds).headline.get({
		...officeParams(officeIds),
		period: currentPeriod(kind, now),
		week: currentPeriod('week', now),
		today: shanghaiDay(now)
	})!; // one row, always
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
export function dailyActive(
	db: Queryable,
	officeIds: number[],
	days: number,
	now = new Date()
): { first: string; learners: number[] } {
	const first = shanghaiDay(new Date(now.getTime() - (days - 1) * 86_400_000));
	// One number per day, by position from the first day: no day strings to build or send.
	const learners = new Array<number>(days).fill(0);
	const perDay =
		officeStatements(db, officeIds).dailyActive.get({
			...officeParams(officeIds),
			first,
			last: shanghaiDay(now)
		}) ?? [];
	for (const [day, n] of perDay) learners[day] = n;
	return { first, learners };
}

export const MEMBER_SORTS = [
	'points',
	'name',
	'lastActive',
	'lessons',
	'quizzes',
	'overdue',
	'hours'
] as const satisfies readonly (Figure | 'name')[];
export type MemberSort = (typeof MEMBER_SORTS)[number];
export const MEMBER_STATUSES = ['all', 'studying', 'idle', 'overdue', 'inactive'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

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
export function memberTable(
	db: Queryable,
	officeIds: number[],
	opts: TableQuery,
	now = new Date()
): { rows: MemberFigures[]; total: number } {
	const q = opts.q?.trim() ? `%${opts.q.trim().replace(/[%_\\]/g, (c) => '\\' + c)}%` : null;
	const status = opts.status ?? 'all';
	// Sort keys are figure names from the list above, never user text.
	const sort = opts.sort && MEMBER_SORTS.includes(opts.sort) ? opts.sort : 'points';
	const desc = opts.desc !== false;
	const today = shanghaiDay(now);
	const params: Params = {
		...officeParams(officeIds),
		period: currentPeriod(opts.kind, now),
		today,
		year: Number(today.slice(0, 4)),
		...(q ? { q } : {})
	};
	const pageSize = opts.pageSize ?? 20;
	const paging = Number.isFinite(pageSize)
		? { limit: pageSize, offset: (Math.floor(opts.page ?? 1) - 1) * pageSize }
		: { limit: -1, offset: 0 };
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
	const where = {
		studying: 'WHERE points > 0',
		idle: 'WHERE points = 0',
		overdue: 'WHERE overdue > 0',
		all: '',
		inactive: ''
	}[o.status];
	const dir = o.desc ? 'DESC' : 'ASC';
	// Names in pinyin order (users.name_key, see users/name-key.ts), the same-sounding by character.
	const order = o.sort === 'name' ? `nameKey ${dir}, name ${dir}` : `${o.sort} ${dir}`;
	const members = filteredMembers(db, officeIds, {
		figures: [...needed],
		search: o.q !== null,
		inactive: o.status === 'inactive',
		where,
		order
	});
	return { ids: members.ids.all({ ...params, ...paging }), total: members.count.get(params) ?? 0 };
}

/**
 * A page of the table sorted by points, most first (as it opens), without computing every
 * member's points: the members who scored come from the board index in order (one office
 * reads only the page), then those who did not, by id, as the generic sort orders them.
 */
function inBoardOrder(
	db: Queryable,
	officeIds: number[],
	params: Params,
	paging: Paging,
	status: 'all' | 'studying',
	members?: number
) {
	const statements = officeStatements(db, officeIds);
	const scoredCount = () => statements.scoredCount.get(params) ?? 0;
	// For one office the index is already in board order; several offices are merged by a sort.
	const ids = statements.scoredIds.all({ ...params, ...paging });
	if (status === 'studying') return { ids, total: scoredCount() };
	const total = members ?? statements.memberCount.get(params) ?? 0;
	const wanted = paging.limit < 0 ? Infinity : paging.limit;
	if (ids.length < wanted) {
		// The page runs past the members who scored: the rest come from those who did not.
		const scoredBefore = ids.length > 0 ? paging.offset + ids.length : scoredCount();
		const idle = statements.idleIds.all({
			...params,
			limit: paging.limit < 0 ? -1 : paging.limit - ids.length,
			offset: Math.max(0, paging.offset - scoredBefore)
		});
		ids.push(...idle);
	}
	return { ids, total };
}

/** Every figure of the given members, in the order given. */
function figuresOf(db: Queryable, ids: number[], params: Params): MemberFigures[] {
	if (ids.length === 0) return [];
	return dashboardStatements(db).memberFigures.get({ ...params, page: JSON.stringify(ids) }) ?? [];
}
