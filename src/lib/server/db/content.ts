import { sqliteTable, integer, text, index, real, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { offices, schools } from './org';
import { media } from './media';

// The live (published) study content. Built-in rows come from content/ (the content sync,
// keyed by slug; their owner columns are NULL: 系统内容); authored rows are written when a
// module version is published (authoring/), keyed the same way by their stable slugs. Rows
// are archived, never deleted, so progress, attempts and points that point at them stay valid.

export const themes = sqliteTable('themes', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	slug: text('slug').notNull().unique(),
	name: text('name').notNull(),
	sortOrder: integer('sort_order').notNull().default(0),
	// A theme a party school added in the app (NULL: from the pack; the sync leaves the others alone).
	ownerSchoolId: integer('owner_school_id').references(() => schools.id),
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
		// Who owns an authored module: a party school (for the whole system) or an office (for
		// itself and its descendants). Both NULL: built-in (系统内容, from content/).
		ownerSchoolId: integer('owner_school_id').references(() => schools.id),
		ownerOfficeId: integer('owner_office_id').references(() => offices.id),
		// 0: reached only through the courses that use it (a school's choice); 1: in the catalog.
		inCatalog: integer('in_catalog', { mode: 'boolean' }).notNull().default(true),
		// 学时 credited once when a learner completes the module (0: none).
		creditHours: real('credit_hours').notNull().default(0),
		// The published version learners see (0 for built-in modules).
		version: integer('version').notNull().default(0),
		// The quiz defaults from the content pack (JSON); the quiz engine owns the live settings.
		quizDefaults: text('quiz_defaults').notNull(),
		contentHash: text('content_hash').notNull(),
		archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('modules_theme_idx').on(t.themeId), index('modules_owner_office_idx').on(t.ownerOfficeId)]
);

export const LESSON_KINDS = ['text', 'video', 'audio'] as const;
export type LessonKind = (typeof LESSON_KINDS)[number];

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
		// The Markdown the HTML was rendered from (what an editable copy starts from).
		bodyMd: text('body_md').notNull().default(''),
		bodyHtml: text('body_html').notNull(),
		// text: read; video/audio: watched (media_id, duration decided from the file on upload).
		kind: text('kind', { enum: LESSON_KINDS }).notNull().default('text'),
		mediaId: integer('media_id').references((): AnySQLiteColumn => media.id),
		durationSeconds: integer('duration_seconds'),
		plainText: text('plain_text').notNull(),
		charCount: integer('char_count').notNull(),
		minReadSeconds: integer('min_read_seconds').notNull(),
		contentHash: text('content_hash').notNull(),
		archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('lessons_module_idx').on(t.moduleId, t.sortOrder)]
);

export const QUESTION_TYPES = ['single', 'multiple', 'truefalse', 'fill', 'essay'] as const;
/** The types scored automatically: the only ones module quizzes, daily practice and live quizzes draw. */
export const OBJECTIVE_TYPES = ['single', 'multiple', 'truefalse', 'fill'] as const;
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
		answer: text('answer').notNull(), // JSON: number | number[] | boolean | string[][] | EssayAnswer (简答)
		explanation: text('explanation').notNull(),
		// 1 易, 2 中, 3 难.
		difficulty: integer('difficulty').notNull().default(2),
		// Where the question is grounded (e.g. 报告第六部分第3段), shown with the explanation.
		sourceRef: text('source_ref').notNull().default(''),
		contentHash: text('content_hash').notNull(),
		archivedAt: integer('archived_at', { mode: 'timestamp_ms' }),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('questions_module_idx').on(t.moduleId)]
);
