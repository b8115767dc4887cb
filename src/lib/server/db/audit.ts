import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';

/**
 * 日志中心: one row per administrative action (who, when, from which address, what),
 * written in the action's own transaction (audit/index.ts). Append-only: the triggers of
 * migration `audit_guards` refuse every UPDATE, every REPLACE of an existing row and every
 * DELETE of a row still inside the retention period, so only the retention purge removes rows.
 * No foreign keys: an entry outlives what it names, and keeps the names as they were.
 */
export const auditLog = sqliteTable(
	'audit_log',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		at: integer('at', { mode: 'timestamp_ms' }).notNull(),
		actorUserId: integer('actor_user_id'),
		// The actor's name at the time (a later rename does not rewrite history).
		actorName: text('actor_name').notNull(),
		ip: text('ip'),
		action: text('action').notNull(),
		// The office and school the action concerns: they decide which admins see the entry.
		officeId: integer('office_id'),
		schoolId: integer('school_id'),
		targetType: text('target_type'),
		targetId: text('target_id'),
		summary: text('summary').notNull(),
		detail: text('detail')
	},
	(t) => [
		index('audit_log_at_idx').on(t.at),
		index('audit_log_office_idx').on(t.officeId, t.at),
		index('audit_log_school_idx').on(t.schoolId, t.at),
		index('audit_log_actor_idx').on(t.actorUserId, t.at)
	]
);
