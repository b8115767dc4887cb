/**
 * 宣讲 counted with the office's study: the headline figures of a period and the roll-up by child
 * office for drill-down; what counts, shared with the comparison (compare.ts) and the talk lists.
 *
 * Only submitted talks count (a draft is its recorder's own until submitted); a talk counts
 * for its office on its Shanghai `day`. Speakers are the member speakers (outreach_talk_speakers),
 * counted once each however many talks they gave.
 */
import { and, between, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db';
import { outreachTalks, outreachTalkSpeakers, users } from '../db/schema';
import { MEMBER_ROLES } from '../access';
import { canManageOffice, childOffices, descendantIds, getOffice, type Actor } from '../org/offices';
import { heldAtRange } from './read';
import { outreachStatements } from './statements';

/** The submitted talks of some offices within a range of days. */
export function counted(officeIds: number[], from: string, to: string): SQL {
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
	// Prepared (outreach/statements.ts): the dashboard shows it on every load.
	return outreachStatements(db).headline.get({
		offices: JSON.stringify(officeIds),
		...heldAtRange(from, to)
	})!;
}

/** Talks per 100 members, one decimal (0 without members): 3 talks by 40 members → 7.5. */
export function per100(talks: number, members: number): number {
	return members ? Math.round((talks * 1000) / members) / 10 : 0;
}

/** Active members (cadres and admins) of each of these offices, itself only. */
export function membersByOffice(db: Queryable, officeIds: number[]): Map<number, number> {
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
	// Which row each office of the subtree counts towards: the office itself, or the child above it.
	const rowOf = new Map<number, number>([[officeId, officeId]]);
	const byRow = new Map([[officeId, tally(officeId, office.name, true, false)]]);
	const children = childOffices(db, officeId);
	for (const child of children) {
		const subtree = descendantIds(db, child.id);
		for (const id of subtree) rowOf.set(id, child.id);
		byRow.set(child.id, tally(child.id, child.name, false, subtree.length > 1));
	}
	const total = tally(officeId, office.name, false, children.length > 0);
	const rowsOf = (id: number) => [byRow.get(rowOf.get(id)!)!, total];

	const counts = subtreeCounts(db, descendantIds(db, officeId), from, to);
	for (const t of counts.talks)
		for (const row of rowsOf(t.officeId)) {
			row.talks += t.talks;
			row.audience += Number(t.audience);
		}
	for (const p of counts.speakers) for (const row of rowsOf(p.officeId)) row.speakerSet.add(p.userId);
	for (const [id, n] of counts.members) for (const row of rowsOf(id)) row.members += n;
	return { rows: [...byRow.values()].map(finish), total: finish(total) };
}

/** A roll-up row while counting: its speakers a set, so each counts once. */
type Tally = Omit<OfficeOutreachRow, 'speakers' | 'talksPer100'> & { speakerSet: Set<number> };

function tally(officeId: number, name: string, own: boolean, hasChildren: boolean): Tally {
	return { officeId, name, own, hasChildren, talks: 0, audience: 0, speakerSet: new Set(), members: 0 };
}

function finish({ speakerSet, ...row }: Tally): OfficeOutreachRow {
	return { ...row, speakers: speakerSet.size, talksPer100: per100(row.talks, row.members) };
}

/** Per office of a subtree: talks and audience, its (office, speaker) pairs, its active members. */
function subtreeCounts(db: Queryable, officeIds: number[], from: string, to: string) {
	const where = counted(officeIds, from, to);
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
	const speakers = db
		.selectDistinct({ officeId: outreachTalks.officeId, userId: outreachTalkSpeakers.userId })
		.from(outreachTalkSpeakers)
		.innerJoin(outreachTalks, eq(outreachTalks.id, outreachTalkSpeakers.talkId))
		.where(where)
		.all();
	return { talks, speakers, members: membersByOffice(db, officeIds) };
}
