import { sqliteTable, integer, text, primaryKey, index } from 'drizzle-orm/sqlite-core';
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
