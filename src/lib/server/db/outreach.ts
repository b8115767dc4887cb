import { sqliteTable, integer, text, index, primaryKey, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './auth';
import { offices } from './org';
import { PLACE_KINDS, TALK_FORMATS } from '../../outreach';

/**
 * A place an office's members give talks at: a 人大代表联络站, a paired village (驻村包联点) or a
 * community. Each office keeps its own list; a place used by a talk is retired, never deleted.
 */
export const outreachPlaces = sqliteTable(
	'outreach_places',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		officeId: integer('office_id')
			.notNull()
			.references(() => offices.id),
		name: text('name').notNull(),
		// 乡镇（街道）: where the place is, for the upward report.
		township: text('township').notNull().default(''),
		kind: text('kind', { enum: PLACE_KINDS }).notNull(),
		active: integer('active', { mode: 'boolean' }).notNull().default(true),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [uniqueIndex('outreach_places_office_name_idx').on(t.officeId, t.name)]
);

/**
 * 宣讲活动: one outreach talk. A draft may be incomplete (its columns nullable); a submitted talk
 * has every field the form demands. The office is the one the talk is counted for (the
 * recorder's, or one in an admin's scope); its day is the Shanghai day of `heldAt`, for periods.
 */
export const outreachTalks = sqliteTable(
	'outreach_talks',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		officeId: integer('office_id')
			.notNull()
			.references(() => offices.id),
		recordedBy: integer('recorded_by')
			.notNull()
			.references(() => users.id),
		status: text('status', { enum: ['draft', 'submitted'] })
			.notNull()
			.default('draft'),
		heldAt: integer('held_at', { mode: 'timestamp_ms' }),
		// YYYY-MM-DD in Asia/Shanghai of heldAt: period filters and the export group by it.
		day: text('day'),
		placeId: integer('place_id').references(() => outreachPlaces.id),
		format: text('format', { enum: TALK_FORMATS }),
		audience: integer('audience'),
		summary: text('summary').notNull().default(''),
		// Free-text topic, beside (or instead of) the modules and 原文 parts in outreach_talk_topics.
		topicText: text('topic_text').notNull().default(''),
		// Speakers who are not members of an office here (deputies, others), as named: 、-separated.
		otherSpeakers: text('other_speakers').notNull().default(''),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
		submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }),
		// The last correction of a submitted talk by an admin (the audit log holds each one).
		correctedAt: integer('corrected_at', { mode: 'timestamp_ms' }),
		correctedBy: integer('corrected_by').references(() => users.id)
	},
	(t) => [
		// The lists' filter and order (office, status, then held_at; id is the rowid): one office's
		// page of talks is read from the index in order, before any row.
		index('outreach_talks_office_held_idx').on(t.officeId, t.status, t.heldAt),
		index('outreach_talks_recorder_idx').on(t.recordedBy, t.status)
	]
);

/** The members who spoke at a talk: each earns the 宣讲活动 points once for it. */
export const outreachTalkSpeakers = sqliteTable(
	'outreach_talk_speakers',
	{
		talkId: integer('talk_id')
			.notNull()
			.references(() => outreachTalks.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id)
	},
	(t) => [primaryKey({ columns: [t.talkId, t.userId] }), index('outreach_speakers_user_idx').on(t.userId)]
);

/** What a talk was about: a module (`m:<id>`) or a part of the report (`p:<part>`, as report-place.ts names parts). */
export const outreachTalkTopics = sqliteTable(
	'outreach_talk_topics',
	{
		talkId: integer('talk_id')
			.notNull()
			.references(() => outreachTalks.id, { onDelete: 'cascade' }),
		topic: text('topic').notNull()
	},
	(t) => [primaryKey({ columns: [t.talkId, t.topic] })]
);

/**
 * A talk's photo, as stored: re-encoded to JPEG (orientation applied, every metadata block,
 * location included, dropped), at most 2048 px on the long side, with a 480 px thumbnail.
 * The bytes live in the media directory by SHA-256 (media/store.ts).
 */
export const outreachPhotos = sqliteTable(
	'outreach_photos',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		talkId: integer('talk_id')
			.notNull()
			.references(() => outreachTalks.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		sha256: text('sha256').notNull(),
		thumbSha256: text('thumb_sha256').notNull(),
		width: integer('width').notNull(),
		height: integer('height').notNull(),
		size: integer('size').notNull(),
		uploadedBy: integer('uploaded_by')
			.notNull()
			.references(() => users.id),
		uploadedAt: integer('uploaded_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('outreach_photos_talk_idx').on(t.talkId, t.position)]
);
