import { sqliteTable, integer, text, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './auth';
import { offices, schools } from './org';
import { modules } from './content';

export const DRAFT_STATUSES = ['editing', 'submitted', 'published'] as const;
export type DraftStatus = (typeof DRAFT_STATUSES)[number];

/**
 * The working copy of an authored module: the whole module (fields, lessons, questions) as
 * one JSON document (authoring/doc.ts) that its owner's admins edit. `editing` (草稿, or
 * returned with `review_comment`), `submitted` (待审核), `published` (the document is the
 * latest version). `module_id` is NULL until the first publish creates the live module.
 */
export const moduleDrafts = sqliteTable(
	'module_drafts',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		ownerSchoolId: integer('owner_school_id').references(() => schools.id),
		ownerOfficeId: integer('owner_office_id').references(() => offices.id),
		moduleId: integer('module_id').references(() => modules.id),
		status: text('status', { enum: DRAFT_STATUSES }).notNull().default('editing'),
		doc: text('doc').notNull(),
		// The counters that give new lessons and questions their stable keys (l1, l2… q1, q2…).
		nextLesson: integer('next_lesson').notNull().default(1),
		nextQuestion: integer('next_question').notNull().default(1),
		// The built-in or authored module this one was copied from, if any.
		copiedFromModuleId: integer('copied_from_module_id').references(() => modules.id),
		submittedBy: integer('submitted_by').references(() => users.id),
		submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }),
		reviewComment: text('review_comment'),
		reviewedBy: integer('reviewed_by').references(() => users.id),
		reviewedAt: integer('reviewed_at', { mode: 'timestamp_ms' }),
		createdBy: integer('created_by')
			.notNull()
			.references(() => users.id),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		updatedBy: integer('updated_by')
			.notNull()
			.references(() => users.id),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
		// Withdrawn from learners (下线): the live module is archived; a new publish brings it back.
		withdrawnAt: integer('withdrawn_at', { mode: 'timestamp_ms' })
	},
	(t) => [
		uniqueIndex('module_drafts_module').on(t.moduleId),
		index('module_drafts_owner_school_idx').on(t.ownerSchoolId),
		index('module_drafts_owner_office_idx').on(t.ownerOfficeId)
	]
);

/** Every publish: an immutable snapshot of the document (UPDATE and DELETE refused by triggers). */
export const moduleVersions = sqliteTable(
	'module_versions',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		draftId: integer('draft_id')
			.notNull()
			.references(() => moduleDrafts.id),
		moduleId: integer('module_id')
			.notNull()
			.references(() => modules.id),
		version: integer('version').notNull(),
		doc: text('doc').notNull(),
		submittedBy: integer('submitted_by')
			.notNull()
			.references(() => users.id),
		// The second admin who approved, or the author when `self_approved` (a single-admin owner).
		approvedBy: integer('approved_by')
			.notNull()
			.references(() => users.id),
		selfApproved: integer('self_approved', { mode: 'boolean' }).notNull().default(false),
		publishedAt: integer('published_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [uniqueIndex('module_versions_number').on(t.moduleId, t.version)]
);
