import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';
import { users } from './auth';
import { moduleDrafts } from './authoring';

/**
 * A question bank read from a file or pasted text, checked against a draft and waiting for its
 * author's confirmation (issue #16): nothing reaches the draft before. `data` is the staged
 * result as JSON (question-bank/import.ts `StagedData`: the questions ready to import, without
 * keys, and every problem with its line). Rows older than a day are removed at each new staging.
 */
export const questionImports = sqliteTable(
	'question_imports',
	{
		/** A random token (24 characters of base32), the preview's address. */
		id: text('id').primaryKey(),
		draftId: integer('draft_id')
			.notNull()
			.references(() => moduleDrafts.id, { onDelete: 'cascade' }),
		createdBy: integer('created_by')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		fileName: text('file_name').notNull(),
		format: text('format').notNull(),
		data: text('data').notNull(),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('question_imports_created_idx').on(t.createdAt)]
);
