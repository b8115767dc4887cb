// 宣讲: the submitted talks of offices as the figures pages list them — the dashboard's latest
// talks, 宣讲统计's talks of a period — and the talks a person spoke at, for their 学习档案.
// (A viewer's own 宣讲 tab lists through read.ts.)
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import {
	offices,
	outreachPhotos,
	outreachPlaces,
	outreachTalks,
	outreachTalkSpeakers,
	users
} from '../db/schema';
import type { TalkFormat } from '../../outreach';
import { counted } from './figures';
import type { TalkSummary } from './types';

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

type ListedRow = {
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

/** Member speakers' names of some talks, in pinyin order. */
export function speakersOf(db: Queryable, talkIds: number[]): Map<number, { id: number; name: string }[]> {
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

function summaries(db: Queryable, rows: ListedRow[]): TalkSummary[] {
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
