// 宣讲: talks as a viewer may read them — one talk, the office's list, the user's drafts, and the
// photos of a talk (served only to those who may see the talk).
import type { Queryable } from '../db';
import { addDays } from '../../format';
import { shanghaiMidnight } from '../time';
import { isCalendarDay } from '../validation';
import { mayEdit, maySee, viewableOfficeIds, type TalkViewer } from './scope';
import { outreachStatements, type DraftRow, type TalkDetailRow } from './statements';
import { topicsOf } from './topics';
import type { TalkPlace, TalkSummary, TalkView } from './types';

export type { DraftRow as DraftSummary } from './statements';

/** A talk as the viewer may see it, or null (not found, another office's, someone else's draft). */
export function getTalk(db: Queryable, viewer: TalkViewer, talkId: number): TalkView | null {
	const s = outreachStatements(db);
	const row = s.talkDetail.get(talkId);
	if (!row || !maySee(db, viewer, row)) return null;
	return {
		id: row.id,
		officeId: row.officeId,
		officeName: row.officeName,
		status: row.status,
		heldAt: row.heldAt,
		day: row.day,
		place: placeOf(row),
		format: row.format,
		audience: row.audience,
		summary: row.summary,
		topicText: row.topicText,
		topics: topicsOf(db, s.topics.all(row.id)),
		speakers: s.speakers.all(row.id),
		otherSpeakers: row.otherSpeakers,
		photos: s.photos.all({ talkId: row.id }).map((p) => ({ id: p.id, width: p.width, height: p.height })),
		recordedBy: { id: row.recordedBy, name: row.recorderName },
		submittedAt: row.submittedAt,
		correctedAt: row.correctedAt,
		correctedBy: row.correctorName === null ? null : { name: row.correctorName },
		canEdit: mayEdit(db, viewer, row),
		canDelete: row.status === 'draft' && row.recordedBy === viewer.id
	};
}

function placeOf(row: TalkDetailRow): TalkPlace | null {
	if (row.placeId === null) return null;
	return {
		id: row.placeId,
		name: row.placeName ?? '',
		township: row.placeTownship ?? '',
		kind: row.placeKind!
	};
}

export interface ListTalksQuery {
	/** The offices to list; those the viewer may not see are left out ([]: all the viewer may see). */
	officeIds: number[];
	/** First and last Shanghai day (YYYY-MM-DD), inclusive; absent or not a day: open. */
	from?: string;
	to?: string;
	page: number;
	pageSize: number;
}

/** Submitted talks the viewer may see, newest first, a page at a time. */
export function listTalks(
	db: Queryable,
	viewer: TalkViewer,
	options: ListTalksQuery
): { rows: TalkSummary[]; total: number } {
	const viewable = viewableOfficeIds(db, viewer);
	const offices = options.officeIds.length
		? options.officeIds.filter((id) => viewable.includes(id))
		: viewable;
	const day = (d: string | undefined) => (d && isCalendarDay(d) ? d : null);
	const pageSize = Math.min(Math.max(Math.trunc(options.pageSize) || 20, 1), 500);
	const page = Math.min(Math.max(Math.trunc(options.page) || 1, 1), 10_000);
	return listedTalks(db, offices, { from: day(options.from), to: day(options.to), page, pageSize });
}

/**
 * Days as the Shanghai midnights around them, [fromAt, toAt): talks are listed by held_at (the
 * index's order), which falls in these bounds exactly when the talk's `day` is in the days.
 */
export function heldAtRange(from: string | null, to: string | null): { fromAt: number; toAt: number } {
	return {
		fromAt: from ? shanghaiMidnight(from).getTime() : 0,
		toAt: to && to < '9999-12-31' ? shanghaiMidnight(addDays(to, 1)).getTime() : Number.MAX_SAFE_INTEGER
	};
}

/**
 * The submitted talks of some offices (already within the viewer's scope), in a range of days
 * (null: open), newest first, one page, with the total (unless `counted: false`): every list of
 * talks reads through here.
 */
export function listedTalks(
	db: Queryable,
	officeIds: number[],
	o: { from: string | null; to: string | null; page: number; pageSize: number; counted?: boolean }
): { rows: TalkSummary[]; total: number } {
	if (officeIds.length === 0) return { rows: [], total: 0 };
	const range = heldAtRange(o.from, o.to);
	const page = { limit: o.pageSize, offset: (o.page - 1) * o.pageSize };
	const s = outreachStatements(db);
	const offices = { offices: JSON.stringify(officeIds), ...range };
	// A short list without paging (the dashboard's latest talks) needs no total.
	const total = o.counted === false ? 0 : (s.countListed.get(offices) ?? 0);
	const rows =
		officeIds.length === 1
			? s.listedOne.all({ office: officeIds[0], ...range, ...page })
			: s.listed.all({ ...offices, ...page });
	return { total, rows };
}

/** The user's drafts, last changed first. */
export function myDrafts(db: Queryable, userId: number): DraftRow[] {
	return outreachStatements(db).drafts.all(userId);
}

export interface TalkPhoto {
	id: number;
	position: number;
	sha256: string;
	thumbSha256: string;
	width: number;
	height: number;
	size: number;
}

/** A talk's photos in order (for pages that already checked the viewer, the print view, the export). */
export function photosOfTalk(db: Queryable, talkId: number): TalkPhoto[] {
	return outreachStatements(db).photos.all({ talkId });
}

/** A photo's stored files, if the viewer may see its talk. */
export function photoForViewer(
	db: Queryable,
	viewer: TalkViewer,
	photoId: number
): { sha256: string; thumbSha256: string } | null {
	const row = outreachStatements(db).photoWithTalk.get(photoId);
	if (!row || !maySee(db, viewer, row)) return null;
	return { sha256: row.sha256, thumbSha256: row.thumbSha256 };
}
