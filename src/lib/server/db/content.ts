import { sqliteTable, integer, text, index } from 'drizzle-orm/sqlite-core';

// Loaded from content/ by the content sync, keyed by slug; rows are archived, never deleted,
// so progress, attempts and points that point at them stay valid.

export const themes = sqliteTable('themes', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	slug: text('slug').notNull().unique(),
	name: text('name').notNull(),
	sortOrder: integer('sort_order').notNull().default(0),
	archivedAt: integer('archived_at', { mode: 'timestamp_ms' })
});

export const modules = sqliteTable(
	'modules',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		slug: text('slug').notNull().unique(),
		themeId: integer('theme_id')
			.notNull()
			.references(() => themes.id),
		title: text('title').notNull(),
		summary: text('summary').notNull(),
		minutes: integer('minutes').notNull(),
		sortOrder: integer('sort_order').notNull().default(0),
		introHtml: text('intro_html').notNull(),
		// The quiz defaults from the content pack (JSON); the quiz engine owns the live settings.
		quizDefaults: text('quiz_defaults').notNull(),
		contentHash: text('content_hash').notNull(),
		archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('modules_theme_idx').on(t.themeId)]
);

export const lessons = sqliteTable(
	'lessons',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		slug: text('slug').notNull().unique(),
		moduleId: integer('module_id')
			.notNull()
			.references(() => modules.id),
		title: text('title').notNull(),
		sortOrder: integer('sort_order').notNull().default(0),
		sourcePart: text('source_part').notNull(),
		sourceHeading: text('source_heading').notNull(),
		sourceSection: text('source_section'),
		sourceParagraph: integer('source_paragraph').notNull(),
		bodyHtml: text('body_html').notNull(),
		plainText: text('plain_text').notNull(),
		charCount: integer('char_count').notNull(),
		minReadSeconds: integer('min_read_seconds').notNull(),
		contentHash: text('content_hash').notNull(),
		archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('lessons_module_idx').on(t.moduleId, t.sortOrder)]
);

export const QUESTION_TYPES = ['single', 'multiple', 'truefalse', 'fill'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** The question bank. `answer` never leaves the server before an attempt is submitted. */
export const questions = sqliteTable(
	'questions',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		// `<module slug>/<question id>`: stable across syncs.
		key: text('key').notNull().unique(),
		moduleId: integer('module_id')
			.notNull()
			.references(() => modules.id),
		lessonId: integer('lesson_id')
			.notNull()
			.references(() => lessons.id),
		type: text('type', { enum: QUESTION_TYPES }).notNull(),
		stem: text('stem').notNull(),
		options: text('options').notNull(), // JSON string[]; [] for truefalse and fill
		answer: text('answer').notNull(), // JSON: number | number[] | boolean | string[][]
		explanation: text('explanation').notNull(),
		contentHash: text('content_hash').notNull(),
		archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('questions_module_idx').on(t.moduleId)]
);
