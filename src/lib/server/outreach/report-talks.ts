// 宣讲 upward reporting: the talks of a period with every column the .xlsx export and the printed
// A4 summary show (export.ts lays them out).
import { asc, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../db';
import {
	modules,
	offices,
	outreachPhotos,
	outreachPlaces,
	outreachTalks,
	outreachTalkTopics,
	users
} from '../db/schema';
import { partLabel } from '../../report-place';
import type { PlaceKind, TalkFormat } from '../../outreach';
import { counted } from './figures';
import { speakersOf } from './talk-lists';

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

const pad2 = (n: number) => String(n).padStart(2, '0');

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
	const photos = photoIdsOf(db, ids);
	const topics = topicLabelsOf(db, ids);
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

/** The photo ids of some talks, each talk's in order. */
function photoIdsOf(db: Queryable, talkIds: number[]): Map<number, number[]> {
	const photos = new Map<number, number[]>();
	if (talkIds.length === 0) return photos;
	for (const p of db
		.select({ talkId: outreachPhotos.talkId, id: outreachPhotos.id })
		.from(outreachPhotos)
		.where(inArray(outreachPhotos.talkId, talkIds))
		.orderBy(asc(outreachPhotos.position), asc(outreachPhotos.id))
		.all())
		photos.set(p.talkId, [...(photos.get(p.talkId) ?? []), p.id]);
	return photos;
}

/** The topics of some talks as labels: parts of the report in their order first, then modules. */
function topicLabelsOf(db: Queryable, talkIds: number[]): Map<number, string[]> {
	const topics = new Map<number, string[]>();
	if (talkIds.length === 0) return topics;
	const keys = db
		.select({ talkId: outreachTalkTopics.talkId, topic: outreachTalkTopics.topic })
		.from(outreachTalkTopics)
		.where(inArray(outreachTalkTopics.talkId, talkIds))
		.all();
	const titles = moduleTitles(db, [
		...new Set(keys.filter((k) => k.topic.startsWith('m:')).map((k) => Number(k.topic.slice(2))))
	]);
	const order = (topic: string) => (topic.startsWith('p:') ? Number(topic.slice(2)) : 100);
	keys.sort((a, b) => order(a.topic) - order(b.topic) || a.topic.localeCompare(b.topic));
	for (const k of keys) {
		const label = k.topic.startsWith('p:')
			? `报告${partLabel(Number(k.topic.slice(2)))}`
			: titles.get(Number(k.topic.slice(2)));
		if (label) topics.set(k.talkId, [...(topics.get(k.talkId) ?? []), label]);
	}
	return topics;
}

function moduleTitles(db: Queryable, moduleIds: number[]): Map<number, string> {
	if (moduleIds.length === 0) return new Map();
	return new Map(
		db
			.select({ id: modules.id, title: modules.title })
			.from(modules)
			.where(inArray(modules.id, moduleIds))
			.all()
			.map((m) => [m.id, m.title])
	);
}
