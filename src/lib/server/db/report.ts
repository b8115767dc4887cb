import { sqliteTable, integer, text, index, uniqueIndex, primaryKey, check } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';
import { users } from './auth';
import { lessons } from './content';

/**
 * Reading the report's 原文, part by part (0 开篇 … 15, 16 结束语; report/text.ts): when the server
 * first showed the part to this user, and when it counted as read (after the part's minimum
 * reading time, decided on the server like a lesson's).
 */
export const reportReading = sqliteTable(
	'report_reading',
	{
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		part: integer('part').notNull(),
		openedAt: integer('opened_at', { mode: 'timestamp_ms' }).notNull(),
		completedAt: integer('completed_at', { mode: 'timestamp_ms' }),
		// The Asia/Shanghai calendar day the part counted as read (YYYY-MM-DD).
		completedDay: text('completed_day')
	},
	(t) => [
		primaryKey({ columns: [t.userId, t.part] }),
		check('report_reading_part', sql`${t.part} BETWEEN 0 AND 16`)
	]
);

/**
 * 收藏: a lesson or a paragraph of the 原文 (its anchor, p3-14) a user keeps. Exactly one of the two
 * is set; each is kept once.
 */
export const bookmarks = sqliteTable(
	'bookmarks',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		lessonId: integer('lesson_id').references(() => lessons.id),
		paragraphId: text('paragraph_id'),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [
		uniqueIndex('bookmarks_lesson_idx')
			.on(t.userId, t.lessonId)
			.where(sql`${t.lessonId} IS NOT NULL`),
		uniqueIndex('bookmarks_paragraph_idx')
			.on(t.userId, t.paragraphId)
			.where(sql`${t.paragraphId} IS NOT NULL`),
		check('bookmarks_one_target', sql`(${t.lessonId} IS NULL) <> (${t.paragraphId} IS NULL)`)
	]
);

/**
 * 笔记: a user's private note on a passage: a lesson or a 原文 paragraph (exactly one), the words
 * it is about (as the user selected them, may be empty) and the note itself. Only its writer reads it.
 */
export const notes = sqliteTable(
	'notes',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		lessonId: integer('lesson_id').references(() => lessons.id),
		paragraphId: text('paragraph_id'),
		passage: text('passage').notNull().default(''),
		body: text('body').notNull(),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [
		index('notes_user_idx').on(t.userId, t.updatedAt),
		check('notes_one_target', sql`(${t.lessonId} IS NULL) <> (${t.paragraphId} IS NULL)`)
	]
);
