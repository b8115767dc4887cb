// 宣讲: the talks' statements, prepared once per connection (see db/statements.ts). Every talk
// page, the photo endpoint and each save read through them; they run inside the caller's transaction.
import { asc, eq, sql } from 'drizzle-orm';
import { MEMBER_ROLE_LIST, outreachPhotos, outreachTalks } from '../db/schema';
import { pluck, query, statements } from '../db/statements';
import type { PlaceKind, TalkFormat } from '../../outreach';
import type { TalkSummary } from './types';

const placeholder = sql.placeholder;

export interface PlaceRow {
	id: number;
	officeId: number;
	name: string;
	township: string;
	kind: PlaceKind;
	active: boolean;
}

interface RawPlace {
	id: number;
	office_id: number;
	name: string;
	township: string;
	kind: PlaceKind;
	active: number;
}

const place = (r: RawPlace): PlaceRow => ({
	id: r.id,
	officeId: r.office_id,
	name: r.name,
	township: r.township,
	kind: r.kind,
	active: r.active === 1
});

const PLACE_COLUMNS = 'id, office_id, name, township, kind, active';

export interface TalkDetailRow {
	id: number;
	officeId: number;
	officeName: string;
	recordedBy: number;
	recorderName: string;
	status: 'draft' | 'submitted';
	heldAt: Date | null;
	day: string | null;
	placeId: number | null;
	placeName: string | null;
	placeTownship: string | null;
	placeKind: PlaceKind | null;
	format: TalkFormat | null;
	audience: number | null;
	summary: string;
	topicText: string;
	otherSpeakers: string;
	createdAt: Date;
	updatedAt: Date;
	submittedAt: Date | null;
	correctedAt: Date | null;
	correctorName: string | null;
}

interface RawTalkDetail {
	id: number;
	office_id: number;
	office_name: string;
	recorded_by: number;
	recorder_name: string;
	status: 'draft' | 'submitted';
	held_at: number | null;
	day: string | null;
	place_id: number | null;
	place_name: string | null;
	place_township: string | null;
	place_kind: PlaceKind | null;
	format: TalkFormat | null;
	audience: number | null;
	summary: string;
	topic_text: string;
	other_speakers: string;
	created_at: number;
	updated_at: number;
	submitted_at: number | null;
	corrected_at: number | null;
	corrector_name: string | null;
}

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

const talkDetail = (r: RawTalkDetail): TalkDetailRow => ({
	id: r.id,
	officeId: r.office_id,
	officeName: r.office_name,
	recordedBy: r.recorded_by,
	recorderName: r.recorder_name,
	status: r.status,
	heldAt: date(r.held_at),
	day: r.day,
	placeId: r.place_id,
	placeName: r.place_name,
	placeTownship: r.place_township,
	placeKind: r.place_kind,
	format: r.format,
	audience: r.audience,
	summary: r.summary,
	topicText: r.topic_text,
	otherSpeakers: r.other_speakers,
	createdAt: new Date(r.created_at),
	updatedAt: new Date(r.updated_at),
	submittedAt: date(r.submitted_at),
	correctedAt: date(r.corrected_at),
	correctorName: r.corrector_name
});

interface RawTalkList {
	id: number;
	day: string;
	held_at: number;
	office_name: string;
	place_name: string | null;
	format: TalkFormat;
	audience: number;
	other_speakers: string;
	member_names: string | null;
	first_photo_id: number | null;
	photo_count: number;
}

const talkListRow = (r: RawTalkList): TalkSummary => ({
	id: r.id,
	day: r.day,
	heldAt: new Date(r.held_at),
	officeName: r.office_name,
	placeName: r.place_name ?? '',
	format: r.format,
	audience: r.audience,
	speakerNames: [r.member_names, r.other_speakers].filter(Boolean).join('、'),
	firstPhotoId: r.first_photo_id,
	photoCount: r.photo_count
});

export interface DraftRow {
	id: number;
	officeName: string;
	day: string | null;
	heldAt: Date | null;
	placeName: string | null;
	updatedAt: Date;
	photoCount: number;
}

/**
 * The talks a list shows: submitted, of the offices given, held in [@fromAt, @toAt) (the Shanghai
 * midnights around the days, so the same talks as by their `day`). `office_id = @office` for one
 * office reads the index in held_at order; a JSON array @offices for an office rolled up.
 */
const listedOf = (offices: string) => `t.office_id ${offices} AND t.status = 'submitted'
	AND t.held_at >= @fromAt AND t.held_at < @toAt`;
const LISTED = listedOf('IN (SELECT value FROM json_each(@offices))');
const LISTED_ONE = listedOf('= @office');

/** A page of listed talks, newest first, cut before its offices, places, speakers and photos are looked up. */
const listedPage = (
	where: string
) => `SELECT t.id, t.day, t.held_at, o.name AS office_name, p.name AS place_name,
		t.format, t.audience, t.other_speakers,
		(SELECT group_concat(u.name, '、' ORDER BY u.name_key, u.name, u.id) FROM outreach_talk_speakers s
			JOIN users u ON u.id = s.user_id WHERE s.talk_id = t.id) AS member_names,
		(SELECT ph.id FROM outreach_photos ph WHERE ph.talk_id = t.id ORDER BY ph.position, ph.id LIMIT 1) AS first_photo_id,
		(SELECT count(*) FROM outreach_photos ph WHERE ph.talk_id = t.id) AS photo_count
	FROM (SELECT t.id FROM outreach_talks t WHERE ${where}
		ORDER BY t.held_at DESC, t.id DESC LIMIT @limit OFFSET @offset) page
	JOIN outreach_talks t ON t.id = page.id
	JOIN offices o ON o.id = t.office_id
	LEFT JOIN outreach_places p ON p.id = t.place_id
	ORDER BY t.held_at DESC, t.id DESC`;

export const outreachStatements = statements((q) => ({
	/** { id }: the talk's own row. */
	talk: q
		.select()
		.from(outreachTalks)
		.where(eq(outreachTalks.id, placeholder('id')))
		.prepare(),
	/** (id): the talk with its office, place, recorder and corrector, for the talk page. */
	talkDetail: query(
		q,
		`SELECT t.id, t.office_id, o.name AS office_name, t.recorded_by, r.name AS recorder_name, t.status,
			t.held_at, t.day, t.place_id, p.name AS place_name, p.township AS place_township, p.kind AS place_kind,
			t.format, t.audience, t.summary, t.topic_text, t.other_speakers, t.created_at, t.updated_at,
			t.submitted_at, t.corrected_at, c.name AS corrector_name
		FROM outreach_talks t
		JOIN offices o ON o.id = t.office_id
		JOIN users r ON r.id = t.recorded_by
		LEFT JOIN outreach_places p ON p.id = t.place_id
		LEFT JOIN users c ON c.id = t.corrected_by
		WHERE t.id = ?`,
		talkDetail
	),
	/** (sha256, sha256, sha256): whether any row still points at a stored file (a talk photo, its thumbnail, or media). */
	fileUsed: pluck<1>(
		q,
		`SELECT 1 FROM outreach_photos WHERE sha256 = ? OR thumb_sha256 = ?
		UNION ALL SELECT 1 FROM media WHERE sha256 = ? LIMIT 1`
	),
	/** (talkId): member speakers' ids. */
	speakerIds: pluck<number>(q, 'SELECT user_id FROM outreach_talk_speakers WHERE talk_id = ?'),
	/** (talkId): member speakers, in pinyin order. */
	speakers: query(
		q,
		`SELECT u.id, u.name, u.username FROM outreach_talk_speakers s JOIN users u ON u.id = s.user_id
		WHERE s.talk_id = ? ORDER BY u.name_key, u.name, u.id`,
		(r: { id: number; name: string; username: string }) => r
	),
	/** (talkId): topic keys. */
	topics: pluck<string>(q, 'SELECT topic FROM outreach_talk_topics WHERE talk_id = ? ORDER BY topic'),
	/** (JSON array of module ids): module titles and slugs (archived ones too: a talk keeps its topic). */
	moduleTitles: query(
		q,
		'SELECT id, title, slug FROM modules WHERE id IN (SELECT value FROM json_each(?))',
		(r: { id: number; title: string; slug: string }) => r
	),
	/** { talkId }: photos in their order. */
	photos: q
		.select({
			id: outreachPhotos.id,
			position: outreachPhotos.position,
			sha256: outreachPhotos.sha256,
			thumbSha256: outreachPhotos.thumbSha256,
			width: outreachPhotos.width,
			height: outreachPhotos.height,
			size: outreachPhotos.size
		})
		.from(outreachPhotos)
		.where(eq(outreachPhotos.talkId, placeholder('talkId')))
		.orderBy(asc(outreachPhotos.position), asc(outreachPhotos.id))
		.prepare(),
	/** (photoId): the photo's files and who may see its talk. */
	photoWithTalk: query(
		q,
		`SELECT ph.sha256, ph.thumb_sha256, t.office_id, t.status, t.recorded_by
		FROM outreach_photos ph JOIN outreach_talks t ON t.id = ph.talk_id WHERE ph.id = ?`,
		(r: {
			sha256: string;
			thumb_sha256: string;
			office_id: number;
			status: string;
			recorded_by: number;
		}) => ({
			sha256: r.sha256,
			thumbSha256: r.thumb_sha256,
			officeId: r.office_id,
			status: r.status as 'draft' | 'submitted',
			recordedBy: r.recorded_by
		})
	),

	/** (placeId) */
	place: query(q, `SELECT ${PLACE_COLUMNS} FROM outreach_places WHERE id = ?`, place),
	/** (officeId, name) */
	placeByName: query(
		q,
		`SELECT ${PLACE_COLUMNS} FROM outreach_places WHERE office_id = ? AND name = ?`,
		place
	),
	/** (officeId): the office's active places (the caller sorts them by pinyin). */
	activePlaces: query(
		q,
		`SELECT ${PLACE_COLUMNS} FROM outreach_places WHERE office_id = ? AND active = 1 ORDER BY name, id`,
		place
	),
	/** { officeId, name, township, kind, now } */
	insertPlace: q.$client.prepare(
		`INSERT INTO outreach_places (office_id, name, township, kind, active, created_at, updated_at)
		VALUES (@officeId, @name, @township, @kind, 1, @now, @now)`
	),

	/**
	 * { ids, offices } (JSON arrays): those of the users who may speak for a talk of these offices —
	 * active, a member role, in one of the offices.
	 */
	eligibleSpeakers: pluck<number>(
		q,
		`SELECT id FROM users WHERE id IN (SELECT value FROM json_each(@ids)) AND active = 1
		AND role IN (${MEMBER_ROLE_LIST}) AND office_id IN (SELECT value FROM json_each(@offices))`
	),
	/** (JSON array of office ids): the active members of these offices, in pinyin order. */
	members: query(
		q,
		`SELECT u.id, u.name, u.username, o.name AS office_name FROM users u JOIN offices o ON o.id = u.office_id
		WHERE u.office_id IN (SELECT value FROM json_each(?)) AND u.active = 1 AND u.role IN (${MEMBER_ROLE_LIST})
		ORDER BY u.name_key, u.name, u.id`,
		(r: { id: number; name: string; username: string; office_name: string }) => ({
			id: r.id,
			name: r.name,
			username: r.username,
			officeName: r.office_name
		})
	),
	/** (JSON array of user ids): id, name and current office. */
	usersByIds: query(
		q,
		'SELECT id, name, username, office_id FROM users WHERE id IN (SELECT value FROM json_each(?))',
		(r: { id: number; name: string; username: string; office_id: number | null }) => ({
			id: r.id,
			name: r.name,
			username: r.username,
			officeId: r.office_id
		})
	),

	/** { officeId, recordedBy, heldAt, day, placeId, format, audience, summary, topicText, otherSpeakers, now } */
	insertTalk: q.$client.prepare(
		`INSERT INTO outreach_talks (office_id, recorded_by, status, held_at, day, place_id, format, audience,
			summary, topic_text, other_speakers, created_at, updated_at)
		VALUES (@officeId, @recordedBy, 'draft', @heldAt, @day, @placeId, @format, @audience,
			@summary, @topicText, @otherSpeakers, @now, @now)`
	),
	/** { id, officeId, heldAt, day, placeId, format, audience, summary, topicText, otherSpeakers, now } */
	updateTalk: q.$client.prepare(
		`UPDATE outreach_talks SET office_id = @officeId, held_at = @heldAt, day = @day, place_id = @placeId,
			format = @format, audience = @audience, summary = @summary, topic_text = @topicText,
			other_speakers = @otherSpeakers, updated_at = @now
		WHERE id = @id`
	),
	/** { id, now }: only a draft becomes submitted (0 changes: another request submitted it first). */
	submitTalk: q.$client.prepare(
		`UPDATE outreach_talks SET status = 'submitted', submitted_at = @now, updated_at = @now
		WHERE id = @id AND status = 'draft'`
	),
	/** { id, userId, now } */
	markCorrected: q.$client.prepare(
		'UPDATE outreach_talks SET corrected_at = @now, corrected_by = @userId WHERE id = @id'
	),
	/** (id, recordedBy): only the recorder's own draft. */
	deleteDraft: q.$client.prepare(
		"DELETE FROM outreach_talks WHERE id = ? AND recorded_by = ? AND status = 'draft'"
	),
	/** (talkId) */
	clearSpeakers: q.$client.prepare('DELETE FROM outreach_talk_speakers WHERE talk_id = ?'),
	/** (talkId, userId) */
	addSpeaker: q.$client.prepare(
		'INSERT INTO outreach_talk_speakers (talk_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING'
	),
	/** (talkId) */
	clearTopics: q.$client.prepare('DELETE FROM outreach_talk_topics WHERE talk_id = ?'),
	/** (talkId, topic) */
	addTopic: q.$client.prepare(
		'INSERT INTO outreach_talk_topics (talk_id, topic) VALUES (?, ?) ON CONFLICT DO NOTHING'
	),
	/** (talkId): where the next photo goes. */
	nextPhotoPosition: pluck<number>(
		q,
		'SELECT coalesce(max(position), -1) + 1 FROM outreach_photos WHERE talk_id = ?'
	),
	/** { talkId, position, sha256, thumbSha256, width, height, size, uploadedBy, now } */
	insertPhoto: q.$client.prepare(
		`INSERT INTO outreach_photos (talk_id, position, sha256, thumb_sha256, width, height, size, uploaded_by, uploaded_at)
		VALUES (@talkId, @position, @sha256, @thumbSha256, @width, @height, @size, @uploadedBy, @now)`
	),
	/** (photoId, talkId): only a photo of this talk. */
	deletePhoto: q.$client.prepare('DELETE FROM outreach_photos WHERE id = ? AND talk_id = ?'),

	/** { offices, fromAt, toAt }: 宣讲场次, 受众人次 and 参与宣讲人数 (distinct member speakers) of the listed talks. */
	headline: query(
		q,
		`SELECT count(*) AS talks, coalesce(sum(t.audience), 0) AS audience,
			(SELECT count(DISTINCT s.user_id) FROM outreach_talk_speakers s JOIN outreach_talks t ON t.id = s.talk_id
				WHERE ${LISTED}) AS speakers
		FROM outreach_talks t WHERE ${LISTED}`,
		(r: { talks: number; audience: number; speakers: number }) => r
	),
	/** { offices, fromAt, toAt }: how many talks the list has. */
	countListed: pluck<number>(q, `SELECT count(*) FROM outreach_talks t WHERE ${LISTED}`),
	/** { offices, fromAt, toAt, limit, offset }: a page of the talks of offices, newest first. */
	listed: query(q, listedPage(LISTED), talkListRow),
	/** { office, fromAt, toAt, limit, offset }: the same for one office. */
	listedOne: query(q, listedPage(LISTED_ONE), talkListRow),
	/** (userId): the user's drafts, last changed first. */
	drafts: query(
		q,
		`SELECT t.id, o.name AS office_name, t.day, t.held_at, p.name AS place_name, t.updated_at,
			(SELECT count(*) FROM outreach_photos ph WHERE ph.talk_id = t.id) AS photo_count
		FROM outreach_talks t
		JOIN offices o ON o.id = t.office_id
		LEFT JOIN outreach_places p ON p.id = t.place_id
		WHERE t.recorded_by = ? AND t.status = 'draft'
		ORDER BY t.updated_at DESC, t.id DESC`,
		(r: {
			id: number;
			office_name: string;
			day: string | null;
			held_at: number | null;
			place_name: string | null;
			updated_at: number;
			photo_count: number;
		}): DraftRow => ({
			id: r.id,
			officeName: r.office_name,
			day: r.day,
			heldAt: date(r.held_at),
			placeName: r.place_name,
			updatedAt: new Date(r.updated_at),
			photoCount: r.photo_count
		})
	)
}));

/** The talk's own row as Drizzle reads it. */
export type TalkRow = typeof outreachTalks.$inferSelect;
