import { sqliteTable, integer, text, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './auth';

/**
 * 备份: one online backup of the database (scheduled daily or started by a sysadmin): the file it
 * wrote under BACKUP_DIR, when, its size and the integrity check of the copy, or the error that
 * stopped it. `scheduled_day` (Asia/Shanghai) is unique, so one process claims each day's backup.
 */
export const backups = sqliteTable(
	'backups',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		kind: text('kind', { enum: ['scheduled', 'manual'] }).notNull(),
		scheduledDay: text('scheduled_day'),
		requestedBy: integer('requested_by').references(() => users.id),
		fileName: text('file_name'),
		startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
		finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
		sizeBytes: integer('size_bytes'),
		// 'ok', or what PRAGMA integrity_check said of the copy.
		integrity: text('integrity'),
		error: text('error'),
		// Removed by retention: the row stays, the file is gone.
		removedAt: integer('removed_at', { mode: 'timestamp_ms' })
	},
	(t) => [uniqueIndex('backups_day_idx').on(t.scheduledDay), index('backups_started_idx').on(t.startedAt)]
);

/**
 * A read-only token for another system (the national view) to read this instance's participation
 * figures: only its SHA-256 is kept; shown once when created; revoked, it answers nothing.
 */
export const apiTokens = sqliteTable('api_tokens', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	name: text('name').notNull(),
	tokenHash: text('token_hash').notNull().unique(),
	createdBy: integer('created_by')
		.notNull()
		.references(() => users.id),
	createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
	lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
	revokedAt: integer('revoked_at', { mode: 'timestamp_ms' })
});
