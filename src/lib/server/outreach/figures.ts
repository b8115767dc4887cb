/**
 * 宣讲 counted with the office's study: the headline figures of a period, the roll-up by child
 * office for drill-down, talks per member for the comparison, the talks of a period as listed,
 * exported and printed, and the talks a person spoke at for their 学习档案.
 *
 * Only submitted talks count (a draft is its recorder's own until submitted); a talk counts
 * for its office on its Shanghai `day`. Speakers are the member speakers (outreach_talk_speakers),
 * counted once each however many talks they gave.
 */
import { and, asc, between, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db';
import {
	modules,
	offices,
	outreachPhotos,
	outreachPlaces,
	outreachTalks,
	outreachTalkSpeakers,
	outreachTalkTopics,
	users
} from '../db/schema';
import { MEMBER_ROLES } from '../access';
import { canManageOffice, childOffices, descendantIds, getOffice, type Actor } from '../org/offices';
import { mondayOf, type PeriodKind } from '../points/periods';
import { compareOffices, METRIC_LABELS, type Metric, type OfficeFigure } from '../points/compare';
import { shanghaiDay } from '../time';
import { addDays } from '../../format';
import { partLabel } from '../../report-place';
import { OUTREACH_LIMITS, type PlaceKind, type TalkFormat } from '../../outreach';
import type { TalkSummary } from './types';

export interface DayRange {
	/** First day, YYYY-MM-DD (Shanghai), inclusive. */
	from: string;
	/** Last day, inclusive. */
	to: string;
}

/** The quick ranges of the outreach pages. */
export const QUICK_RANGES = ['month', 'lastMonth', 'quarter', 'year'] as const;
export type QuickRange = (typeof QUICK_RANGES)[number];
export const QUICK_RANGE_LABELS: Record<QuickRange, string> = {
	month: '本月',
	lastMonth: '上月',
	quarter: '本季度',
	year: '本年'
};

/** A range longer than this many years is refused (to the default): nobody reports on more. */
const MAX_RANGE_YEARS = 3;

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The last day of a month (month 1–12). */
function monthEnd(year: number, month: number): string {
	return addDays(`${month === 12 ? year + 1 : year}-${pad2(month === 12 ? 1 : month + 1)}-01`, -1);
}

/** A quick range at `now` (Shanghai calendar). */
export function quickRange(kind: QuickRange, now = new Date()): DayRange {
	const today = shanghaiDay(now);
	const year = Number(today.slice(0, 4));
	const month = Number(today.slice(5, 7));
	switch (kind) {
		case 'month':
			return { from: `${today.slice(0, 7)}-01`, to: monthEnd(year, month) };
		case 'lastMonth': {
			const y = month === 1 ? year - 1 : year;
			const m = month === 1 ? 12 : month - 1;
			return { from: `${y}-${pad2(m)}-01`, to: monthEnd(y, m) };
		}
		case 'quarter': {
			const first = Math.floor((month - 1) / 3) * 3 + 1;
			return { from: `${year}-${pad2(first)}-01`, to: monthEnd(year, first + 2) };
		}
		case 'year':
			return { from: `${year}-01-01`, to: `${year}-12-31` };
	}
}

/**
 * The days of a dashboard period (points/periods.ts): this week (Monday to Sunday), this month,
 * this year, or all (every talk: from the first day a talk may have on).
 */
export function periodRange(kind: PeriodKind, now = new Date()): DayRange {
	const today = shanghaiDay(now);
	switch (kind) {
		case 'week': {
			const monday = mondayOf(today);
			return { from: monday, to: addDays(monday, 6) };
		}
		case 'month':
			return quickRange('month', now);
		case 'year':
			return quickRange('year', now);
		case 'all':
			return { from: OUTREACH_LIMITS.earliestDay, to: '9999-12-31' };
	}
}

/** A real calendar day written YYYY-MM-DD (not 2026-02-30, not 0099-01-01). */
export function validDay(value: string | null | undefined): value is string {
	if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value) || value < '1900-01-01') return false;
	return addDays(value, 0) === value;
}

/**
 * The range of the outreach pages from the query string: `range=` one of the quick ranges, or
 * `from=`/`to=` days. Anything else — a missing or impossible day, from after to, more than three
 * years — is this month, never an error. `quick` names the quick range the result is, if any.
 */
export function rangeParams(
	params: URLSearchParams,
	now = new Date()
): DayRange & { quick: QuickRange | null } {
	const named = QUICK_RANGES.find((k) => k === params.get('range'));
	let range: DayRange = quickRange(named ?? 'month', now);
	if (!named) {
		const from = params.get('from')?.trim();
		const to = params.get('to')?.trim();
		if (validDay(from) && validDay(to) && from <= to) {
			const limit = `${Number(from.slice(0, 4)) + MAX_RANGE_YEARS}${from.slice(4)}`;
			if (to < limit) range = { from, to };
		}
	}
	const quick = QUICK_RANGES.find((k) => {
		const q = quickRange(k, now);
		return q.from === range.from && q.to === range.to;
	});
	return { ...range, quick: quick ?? null };
}

/** The submitted talks of some offices within a range of days. */
function counted(officeIds: number[], from: string, to: string): SQL {
	return and(
		eq(outreachTalks.status, 'submitted'),
		inArray(outreachTalks.officeId, officeIds),
		between(outreachTalks.day, from, to)
	)!;
}

export interface OutreachHeadline {
	/** 宣讲场次 */
	talks: number;
	/** 受众人次: the audiences summed. */
	audience: number;
	/** 参与宣讲人数: distinct member speakers. */
	speakers: number;
}

/** 宣讲场次, 受众人次 and 参与宣讲人数 of some offices (an office rolled up: its descendantIds) in a range. */
export function outreachHeadline(
	db: Queryable,
	officeIds: number[],
	from: string,
	to: string
): OutreachHeadline {
	if (officeIds.length === 0) return { talks: 0, audience: 0, speakers: 0 };
	const where = counted(officeIds, from, to);
	const totals = db
		.select({
			talks: count(),
			audience: sql<number>`coalesce(sum(${outreachTalks.audience}), 0)`
		})
		.from(outreachTalks)
		.where(where)
		.get()!;
	const speakers = db
		.select({ n: sql<number>`count(DISTINCT ${outreachTalkSpeakers.userId})` })
		.from(outreachTalkSpeakers)
		.innerJoin(outreachTalks, eq(outreachTalks.id, outreachTalkSpeakers.talkId))
		.where(where)
		.get()!;
	return { talks: totals.talks, audience: Number(totals.audience), speakers: speakers.n };
}

/** Talks per 100 members, one decimal (0 without members): 3 talks by 40 members → 7.5. */
export function per100(talks: number, members: number): number {
	return members ? Math.round((talks * 1000) / members) / 10 : 0;
}

/** Active members (cadres and admins) of each of these offices, itself only. */
function membersByOffice(db: Queryable, officeIds: number[]): Map<number, number> {
	if (officeIds.length === 0) return new Map();
	const rows = db
		.select({ officeId: users.officeId, n: count() })
		.from(users)
		.where(
			and(inArray(users.officeId, officeIds), eq(users.active, true), inArray(users.role, [...MEMBER_ROLES]))
		)
		.groupBy(users.officeId)
		.all();
	return new Map(rows.map((r) => [r.officeId!, r.n]));
}

export interface OfficeOutreachRow extends OutreachHeadline {
	officeId: number;
	name: string;
	/** The office's own talks only (its 本级 row), or the office with everything below it. */
	own: boolean;
	/** Whether there are offices below (the row then drills down). */
	hasChildren: boolean;
	/** Active members counted with the row (the office itself, or its subtree). */
	members: number;
	/** 每百名成员宣讲场次, one decimal. */
	talksPer100: number;
}

/**
 * The roll-up of an office in a range: its own row (talks recorded for the office itself) and one
 * row per child office with everything below it, for drill-down; `total` is the office with its
 * whole subtree (the headline). Null when the office is outside the actor's scope.
 */
export function outreachByOffice(
	db: Queryable,
	actor: Actor,
	officeId: number,
	from: string,
	to: string
): { rows: OfficeOutreachRow[]; total: OfficeOutreachRow } | null {
	const office = getOffice(db, officeId);
	if (!office || !canManageOffice(db, actor, officeId)) return null;
	const all = descendantIds(db, officeId);
	// Which row each office of the subtree counts towards: the office itself, or the child above it.
	const rowOf = new Map<number, number>([[officeId, officeId]]);
	const children = childOffices(db, officeId).map((child) => {
		const subtree = descendantIds(db, child.id);
		for (const id of subtree) rowOf.set(id, child.id);
		return { ...child, hasChildren: subtree.length > 1 };
	});
	const where = counted(all, from, to);
	const talks = db
		.select({
			officeId: outreachTalks.officeId,
			talks: count(),
			audience: sql<number>`coalesce(sum(${outreachTalks.audience}), 0)`
		})
		.from(outreachTalks)
		.where(where)
		.groupBy(outreachTalks.officeId)
		.all();
	const pairs = db
		.selectDistinct({ officeId: outreachTalks.officeId, userId: outreachTalkSpeakers.userId })
		.from(outreachTalkSpeakers)
		.innerJoin(outreachTalks, eq(outreachTalks.id, outreachTalkSpeakers.talkId))
		.where(where)
		.all();
	const members = membersByOffice(db, all);

	const blank = (id: number, name: string, own: boolean, hasChildren: boolean) => ({
		officeId: id,
		name,
		own,
		hasChildren,
		talks: 0,
		audience: 0,
		speakerSet: new Set<number>(),
		members: 0
	});
	const byRow = new Map([[officeId, blank(officeId, office.name, true, false)]]);
	for (const c of children) byRow.set(c.id, blank(c.id, c.name, false, c.hasChildren));
	const total = blank(officeId, office.name, false, children.length > 0);
	for (const t of talks) {
		const row = byRow.get(rowOf.get(t.officeId)!)!;
		row.talks += t.talks;
		row.audience += Number(t.audience);
		total.talks += t.talks;
		total.audience += Number(t.audience);
	}
	for (const p of pairs) {
		byRow.get(rowOf.get(p.officeId)!)!.speakerSet.add(p.userId);
		total.speakerSet.add(p.userId);
	}
	for (const [id, n] of members) {
		byRow.get(rowOf.get(id)!)!.members += n;
		total.members += n;
	}
	const finish = ({ speakerSet, ...row }: ReturnType<typeof blank>): OfficeOutreachRow => ({
		...row,
		speakers: speakerSet.size,
		talksPer100: per100(row.talks, row.members)
	});
	return { rows: [...byRow.values()].map(finish), total: finish(total) };
}

export interface TalksPerMember {
	talks: number;
	members: number;
	/** 每百名成员宣讲场次, one decimal. */
	talksPer100: number;
}

/**
 * Talks per member of each office, the office itself (as the comparison counts members: an
 * office's own active members), in a range.
 */
export function talksPerMember(
	db: Queryable,
	officeIds: number[],
	from: string,
	to: string
): Map<number, TalksPerMember> {
	const result = new Map<number, TalksPerMember>();
	if (officeIds.length === 0) return result;
	const talks = new Map(
		db
			.select({ officeId: outreachTalks.officeId, n: count() })
			.from(outreachTalks)
			.where(counted(officeIds, from, to))
			.groupBy(outreachTalks.officeId)
			.all()
			.map((r) => [r.officeId, r.n])
	);
	const members = membersByOffice(db, officeIds);
	for (const id of officeIds) {
		const t = talks.get(id) ?? 0;
		const m = members.get(id) ?? 0;
		result.set(id, { talks: t, members: m, talksPer100: per100(t, m) });
	}
	return result;
}

/** Offices of a comparison ranked by talks per member (shared ranks for equal values). */
export function rankByTalks<T extends { officeId: number; rank: number }>(
	figures: T[],
	talks: Map<number, TalksPerMember>
): (T & { outreach: TalksPerMember })[] {
	const zero = { talks: 0, members: 0, talksPer100: 0 };
	const rows = figures.map((f) => ({ ...f, outreach: talks.get(f.officeId) ?? zero }));
	rows.sort((a, b) => b.outreach.talksPer100 - a.outreach.talksPer100 || a.officeId - b.officeId);
	rows.forEach((f, i) => {
		const prev = rows[i - 1];
		f.rank = prev && prev.outreach.talksPer100 === f.outreach.talksPer100 ? prev.rank : i + 1;
	});
	return rows;
}

/** The comparison's measures: those of 单位排行 (points/compare.ts) and 宣讲 per member. */
export type CompareMetric = Metric | 'talks';
export const COMPARE_METRIC_LABELS: Record<CompareMetric, string> = {
	...METRIC_LABELS,
	talks: '每百人宣讲'
};

export type OfficeFigureWithTalks = OfficeFigure & { outreach: TalksPerMember };

/**
 * The office comparison (compareOffices) with each office's talks per member in the same period;
 * ranked by talks per 100 members when that is the metric.
 */
export function compareWithTalks(
	db: Queryable,
	officeIds: number[],
	kind: PeriodKind,
	metric: CompareMetric,
	now = new Date()
): OfficeFigureWithTalks[] {
	const figures = compareOffices(db, officeIds, kind, metric === 'talks' ? 'perCapita' : metric, now);
	const range = periodRange(kind, now);
	const talks = talksPerMember(db, officeIds, range.from, range.to);
	if (metric === 'talks') return rankByTalks(figures, talks);
	const zero = { talks: 0, members: 0, talksPer100: 0 };
	return figures.map((f) => ({ ...f, outreach: talks.get(f.officeId) ?? zero }));
}

const talkColumns = {
	id: outreachTalks.id,
	day: outreachTalks.day,
	heldAt: outreachTalks.heldAt,
	officeName: offices.name,
	placeName: outreachPlaces.name,
	format: outreachTalks.format,
	audience: outreachTalks.audience,
	otherSpeakers: outreachTalks.otherSpeakers,
	firstPhotoId: sql<
		number | null
	>`(SELECT p.id FROM ${outreachPhotos} p WHERE p.talk_id = ${outreachTalks.id} ORDER BY p.position, p.id LIMIT 1)`,
	photoCount: sql<number>`(SELECT count(*) FROM ${outreachPhotos} p WHERE p.talk_id = ${outreachTalks.id})`
};

/** Member speakers' names of some talks, in pinyin order. */
function speakersOf(db: Queryable, talkIds: number[]): Map<number, { id: number; name: string }[]> {
	const byTalk = new Map<number, { id: number; name: string }[]>();
	if (talkIds.length === 0) return byTalk;
	const rows = db
		.select({ talkId: outreachTalkSpeakers.talkId, id: users.id, name: users.name })
		.from(outreachTalkSpeakers)
		.innerJoin(users, eq(users.id, outreachTalkSpeakers.userId))
		.where(inArray(outreachTalkSpeakers.talkId, talkIds))
		.orderBy(asc(users.nameKey), asc(users.name), asc(users.id))
		.all();
	for (const r of rows) {
		const list = byTalk.get(r.talkId) ?? [];
		list.push({ id: r.id, name: r.name });
		byTalk.set(r.talkId, list);
	}
	return byTalk;
}

/** 张三、李四 (members) then the other speakers as written. */
function speakerNames(members: { name: string }[], others: string): string {
	return [...members.map((m) => m.name), ...(others.trim() ? [others.trim()] : [])].join('、');
}

type TalkRow = {
	id: number;
	day: string | null;
	heldAt: Date | null;
	officeName: string;
	placeName: string | null;
	format: TalkFormat | null;
	audience: number | null;
	otherSpeakers: string;
	firstPhotoId: number | null;
	photoCount: number;
};

function summaries(db: Queryable, rows: TalkRow[]): TalkSummary[] {
	const speakers = speakersOf(
		db,
		rows.map((r) => r.id)
	);
	return rows.map((r) => ({
		id: r.id,
		day: r.day ?? '',
		heldAt: r.heldAt ?? new Date(0),
		officeName: r.officeName,
		placeName: r.placeName ?? '',
		format: r.format ?? 'other',
		audience: r.audience ?? 0,
		speakerNames: speakerNames(speakers.get(r.id) ?? [], r.otherSpeakers),
		firstPhotoId: r.firstPhotoId,
		photoCount: r.photoCount
	}));
}

/** The latest submitted talks of some offices, newest first, with their first photo (for thumbnails). */
export function recentTalks(db: Queryable, officeIds: number[], limit: number): TalkSummary[] {
	if (officeIds.length === 0) return [];
	const rows = db
		.select(talkColumns)
		.from(outreachTalks)
		.innerJoin(offices, eq(offices.id, outreachTalks.officeId))
		.leftJoin(outreachPlaces, eq(outreachPlaces.id, outreachTalks.placeId))
		.where(and(eq(outreachTalks.status, 'submitted'), inArray(outreachTalks.officeId, officeIds)))
		.orderBy(desc(outreachTalks.heldAt), desc(outreachTalks.id))
		.limit(limit)
		.all();
	return summaries(db, rows);
}

/** The submitted talks of some offices in a range, newest first, a page at a time. */
export function periodTalks(
	db: Queryable,
	officeIds: number[],
	from: string,
	to: string,
	page: number,
	pageSize: number
): { rows: TalkSummary[]; total: number } {
	if (officeIds.length === 0) return { rows: [], total: 0 };
	const where = counted(officeIds, from, to);
	const total = db.select({ n: count() }).from(outreachTalks).where(where).get()!.n;
	const rows = db
		.select(talkColumns)
		.from(outreachTalks)
		.innerJoin(offices, eq(offices.id, outreachTalks.officeId))
		.leftJoin(outreachPlaces, eq(outreachPlaces.id, outreachTalks.placeId))
		.where(where)
		.orderBy(desc(outreachTalks.heldAt), desc(outreachTalks.id))
		.limit(pageSize)
		.offset((page - 1) * pageSize)
		.all();
	return { rows: summaries(db, rows), total };
}

/** A talk as the upward report has it: every column of the export and of the printed summary. */
export interface ReportTalk {
	id: number;
	day: string;
	/** HH:MM, Shanghai. */
	time: string;
	officeName: string;
	placeName: string;
	township: string;
	placeKind: PlaceKind | null;
	format: TalkFormat | null;
	speakers: string;
	otherSpeakers: string;
	/** Modules and parts of the report, then the free text: 、-separated. */
	topics: string;
	audience: number;
	summary: string;
	photoIds: number[];
	recordedBy: string;
}

const hhmm = (at: Date | null) => {
	if (!at) return '';
	const shanghai = new Date(at.getTime() + 8 * 3_600_000);
	return `${pad2(shanghai.getUTCHours())}:${pad2(shanghai.getUTCMinutes())}`;
};

/**
 * The submitted talks of some offices in a range, oldest first (the order of a report), with
 * everything the export and the printed summary show. At most `limit` talks.
 */
export function reportTalks(
	db: Queryable,
	officeIds: number[],
	from: string,
	to: string,
	limit = 10_000
): ReportTalk[] {
	if (officeIds.length === 0) return [];
	const rows = db
		.select({
			id: outreachTalks.id,
			day: outreachTalks.day,
			heldAt: outreachTalks.heldAt,
			officeName: offices.name,
			placeName: outreachPlaces.name,
			township: outreachPlaces.township,
			placeKind: outreachPlaces.kind,
			format: outreachTalks.format,
			otherSpeakers: outreachTalks.otherSpeakers,
			topicText: outreachTalks.topicText,
			audience: outreachTalks.audience,
			summary: outreachTalks.summary,
			recordedBy: users.name
		})
		.from(outreachTalks)
		.innerJoin(offices, eq(offices.id, outreachTalks.officeId))
		.innerJoin(users, eq(users.id, outreachTalks.recordedBy))
		.leftJoin(outreachPlaces, eq(outreachPlaces.id, outreachTalks.placeId))
		.where(counted(officeIds, from, to))
		.orderBy(asc(outreachTalks.heldAt), asc(outreachTalks.id))
		.limit(limit)
		.all();
	const ids = rows.map((r) => r.id);
	const speakers = speakersOf(db, ids);
	const photos = new Map<number, number[]>();
	const topics = new Map<number, string[]>();
	if (ids.length) {
		for (const p of db
			.select({ talkId: outreachPhotos.talkId, id: outreachPhotos.id })
			.from(outreachPhotos)
			.where(inArray(outreachPhotos.talkId, ids))
			.orderBy(asc(outreachPhotos.position), asc(outreachPhotos.id))
			.all())
			photos.set(p.talkId, [...(photos.get(p.talkId) ?? []), p.id]);
		const keys = db
			.select({ talkId: outreachTalkTopics.talkId, topic: outreachTalkTopics.topic })
			.from(outreachTalkTopics)
			.where(inArray(outreachTalkTopics.talkId, ids))
			.all();
		const moduleIds = [
			...new Set(keys.filter((k) => k.topic.startsWith('m:')).map((k) => Number(k.topic.slice(2))))
		];
		const titles = new Map(
			moduleIds.length
				? db
						.select({ id: modules.id, title: modules.title })
						.from(modules)
						.where(inArray(modules.id, moduleIds))
						.all()
						.map((m) => [m.id, m.title])
				: []
		);
		// Parts of the report in their order first, then modules by title.
		const order = (topic: string) => (topic.startsWith('p:') ? Number(topic.slice(2)) : 100);
		keys.sort((a, b) => order(a.topic) - order(b.topic) || a.topic.localeCompare(b.topic));
		for (const k of keys) {
			const label = k.topic.startsWith('p:')
				? `报告${partLabel(Number(k.topic.slice(2)))}`
				: titles.get(Number(k.topic.slice(2)));
			if (label) topics.set(k.talkId, [...(topics.get(k.talkId) ?? []), label]);
		}
	}
	return rows.map((r) => {
		const members = speakers.get(r.id) ?? [];
		return {
			id: r.id,
			day: r.day ?? '',
			time: hhmm(r.heldAt),
			officeName: r.officeName,
			placeName: r.placeName ?? '',
			township: r.township ?? '',
			placeKind: r.placeKind,
			format: r.format,
			speakers: members.map((m) => m.name).join('、'),
			otherSpeakers: r.otherSpeakers,
			topics: [...(topics.get(r.id) ?? []), ...(r.topicText.trim() ? [r.topicText.trim()] : [])].join('、'),
			audience: r.audience ?? 0,
			summary: r.summary,
			photoIds: photos.get(r.id) ?? [],
			recordedBy: r.recordedBy
		};
	});
}

export interface UserTalk {
	id: number;
	day: string;
	officeName: string;
	placeName: string;
	township: string;
	format: TalkFormat | null;
	audience: number;
}

/** The submitted talks a person spoke at (as a member speaker), newest first: their 学习档案. */
export function userTalks(db: Queryable, userId: number): UserTalk[] {
	return db
		.select({
			id: outreachTalks.id,
			day: outreachTalks.day,
			officeName: offices.name,
			placeName: outreachPlaces.name,
			township: outreachPlaces.township,
			format: outreachTalks.format,
			audience: outreachTalks.audience
		})
		.from(outreachTalkSpeakers)
		.innerJoin(outreachTalks, eq(outreachTalks.id, outreachTalkSpeakers.talkId))
		.innerJoin(offices, eq(offices.id, outreachTalks.officeId))
		.leftJoin(outreachPlaces, eq(outreachPlaces.id, outreachTalks.placeId))
		.where(and(eq(outreachTalkSpeakers.userId, userId), eq(outreachTalks.status, 'submitted')))
		.orderBy(desc(outreachTalks.heldAt), desc(outreachTalks.id))
		.all()
		.map((r) => ({
			id: r.id,
			day: r.day ?? '',
			officeName: r.officeName,
			placeName: r.placeName ?? '',
			township: r.township ?? '',
			format: r.format,
			audience: r.audience ?? 0
		}));
}
