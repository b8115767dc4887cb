import { sqliteTable, integer, text, index, primaryKey } from 'drizzle-orm/sqlite-core';
import { users } from './auth';
import { offices, schools } from './org';
import { lessons } from './content';

export const MEDIA_KINDS = ['image', 'pdf', 'video', 'audio'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/**
 * An uploaded file of an author's owner (a school or an office). The bytes live on disk under
 * MEDIA_DIR by their SHA-256 (one file however many owners upload it); the kind and type were
 * decided from the content, never the file name.
 */
export const media = sqliteTable(
	'media',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		sha256: text('sha256').notNull(),
		kind: text('kind', { enum: MEDIA_KINDS }).notNull(),
		mime: text('mime').notNull(),
		size: integer('size').notNull(),
		// The uploader's file name, for downloads and the media list.
		fileName: text('file_name').notNull(),
		// Audio and video: whole seconds, read from the file.
		durationSeconds: integer('duration_seconds'),
		ownerSchoolId: integer('owner_school_id').references(() => schools.id),
		ownerOfficeId: integer('owner_office_id').references(() => offices.id),
		uploadedBy: integer('uploaded_by')
			.notNull()
			.references(() => users.id),
		uploadedAt: integer('uploaded_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [
		index('media_owner_file_idx').on(t.ownerSchoolId, t.ownerOfficeId, t.sha256),
		index('media_sha_idx').on(t.sha256)
	]
);

/** The media a live lesson shows (written at publish): who may see a lesson may fetch these. */
export const lessonMedia = sqliteTable(
	'lesson_media',
	{
		lessonId: integer('lesson_id')
			.notNull()
			.references(() => lessons.id),
		mediaId: integer('media_id')
			.notNull()
			.references(() => media.id)
	},
	(t) => [primaryKey({ columns: [t.lessonId, t.mediaId] }), index('lesson_media_media_idx').on(t.mediaId)]
);
