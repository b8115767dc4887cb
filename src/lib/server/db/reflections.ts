import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';
import { users } from './auth';
import { modules } from './content';
import { studySessions } from './study-sessions';
import { offices } from './org';

/** 心得体会: a cadre's written reflection on a module or a study session. */
export const reflections = sqliteTable(
	'reflections',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		// The author's office when written: its admins (and those above) read it.
		officeId: integer('office_id').references(() => offices.id),
		moduleId: integer('module_id').references(() => modules.id),
		sessionId: integer('session_id').references(() => studySessions.id),
		title: text('title').notNull(),
		body: text('body').notNull(),
		status: text('status', { enum: ['draft', 'submitted'] })
			.notNull()
			.default('draft'),
		excellent: integer('excellent', { mode: 'boolean' }).notNull().default(false),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
		submittedAt: integer('submitted_at', { mode: 'timestamp_ms' })
	},
	(t) => [
		index('reflections_user_idx').on(t.userId),
		index('reflections_office_idx').on(t.officeId, t.status)
	]
);

export const reflectionComments = sqliteTable('reflection_comments', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	reflectionId: integer('reflection_id')
		.notNull()
		.references(() => reflections.id, { onDelete: 'cascade' }),
	authorId: integer('author_id')
		.notNull()
		.references(() => users.id),
	body: text('body').notNull(),
	createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull()
});
