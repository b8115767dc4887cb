// 宣讲: the submitted talks of offices as the figures pages list them — the dashboard's latest
// talks, 宣讲统计's talks of a period — and the talks a person spoke at, for their 学习档案.
// Lists of talks read through read.ts's listedTalks, as the viewer's own 宣讲 tab does.
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../db';
import { offices, outreachPlaces, outreachTalks, outreachTalkSpeakers, users } from '../db/schema';
import type { TalkFormat } from '../../outreach';
import { listedTalks } from './read';
import type { TalkSummary } from './types';

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

/** The latest submitted talks of some offices, newest first, with their first photo (for thumbnails). */
export function recentTalks(db: Queryable, officeIds: number[], limit: number): TalkSummary[] {
	return listedTalks(db, officeIds, { from: null, to: null, page: 1, pageSize: limit, counted: false }).rows;
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
	return listedTalks(db, officeIds, { from, to, page, pageSize });
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
