import { sqliteTable, integer, text, primaryKey, index, real } from 'drizzle-orm/sqlite-core';
import { users } from './auth';
import { lessons } from './content';

/** A cadre's reading of one lesson: when the server first showed it, and when it counted as studied. */
export const lessonProgress = sqliteTable(
	'lesson_progress',
	{
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		lessonId: integer('lesson_id')
			.notNull()
			.references(() => lessons.id),
		openedAt: integer('opened_at', { mode: 'timestamp_ms' }).notNull(),
		completedAt: integer('completed_at', { mode: 'timestamp_ms' }),
		// The Asia/Shanghai calendar day of completion (YYYY-MM-DD), for streaks.
		completedDay: text('completed_day')
	},
	(t) => [
		primaryKey({ columns: [t.userId, t.lessonId] }),
		index('lesson_progress_day_idx').on(t.userId, t.completedDay)
	]
);

/**
 * Watching an audio/video lesson, as the server credited it: the last reported position and
 * when, and the stretches of the file counted as watched (JSON [[from, to], …] in seconds,
 * merged). A report only extends the watched stretches by what the real time since the last
 * report allows (learning/watch.ts).
 */
export const watchProgress = sqliteTable(
	'watch_progress',
	{
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		lessonId: integer('lesson_id')
			.notNull()
			.references(() => lessons.id),
		positionSeconds: real('position_seconds').notNull().default(0),
		reportedAt: integer('reported_at', { mode: 'timestamp_ms' }).notNull(),
		watched: text('watched').notNull().default('[]'),
		watchedSeconds: real('watched_seconds').notNull().default(0)
	},
	(t) => [primaryKey({ columns: [t.userId, t.lessonId] })]
);
