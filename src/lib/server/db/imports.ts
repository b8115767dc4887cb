import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth';

/**
 * A parsed member spreadsheet waiting for the admin's confirmation. Nothing is
 * written to `users` until the admin confirms a preview without errors.
 */
export const memberImports = sqliteTable('member_imports', {
	id: text('id').primaryKey(),
	createdBy: integer('created_by')
		.notNull()
		.references(() => users.id, { onDelete: 'cascade' }),
	fileName: text('file_name').notNull(),
	rowsJson: text('rows_json').notNull(),
	createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull()
});
