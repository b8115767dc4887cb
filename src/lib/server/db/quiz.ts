import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, real, primaryKey, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './auth';
import { modules, questions } from './content';

/** The live quiz settings of a module; created from the content pack's defaults, then editable. */
export const quizSettings = sqliteTable('quiz_settings', {
	moduleId: integer('module_id')
		.primaryKey()
		.references(() => modules.id),
	draw: integer('draw').notNull(),
	timeLimitMinutes: integer('time_limit_minutes').notNull(),
	passMark: integer('pass_mark').notNull(),
	attemptsAllowed: integer('attempts_allowed').notNull(), // 0 = unlimited
	shuffleQuestions: integer('shuffle_questions', { mode: 'boolean' }).notNull(),
	shuffleOptions: integer('shuffle_options', { mode: 'boolean' }).notNull(),
	showAnswers: integer('show_answers', { mode: 'boolean' }).notNull(),
	updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull()
});

export const ATTEMPT_KINDS = ['module', 'daily'] as const;
export type AttemptKind = (typeof ATTEMPT_KINDS)[number];

/**
 * One sitting of a quiz. Everything that decides the outcome (questions, order,
 * deadline, score) is fixed here on the server.
 */
export const attempts = sqliteTable(
	'attempts',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: ATTEMPT_KINDS }).notNull(),
		moduleId: integer('module_id').references(() => modules.id),
		// Asia/Shanghai day the attempt started (daily practice: one per day).
		day: text('day').notNull(),
		startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
		deadline: integer('deadline', { mode: 'timestamp_ms' }).notNull(),
		submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }),
		autoSubmitted: integer('auto_submitted', { mode: 'boolean' }).notNull().default(false),
		passMark: integer('pass_mark').notNull(),
		showAnswers: integer('show_answers', { mode: 'boolean' }).notNull(),
		correct: integer('correct'),
		total: integer('total').notNull(),
		percent: integer('percent'),
		passed: integer('passed', { mode: 'boolean' }),
		points: integer('points').notNull().default(0),
		// Finished implausibly fast: shown to the office admin, never punished automatically.
		flaggedFast: integer('flagged_fast', { mode: 'boolean' }).notNull().default(false)
	},
	(t) => [
		index('attempts_user_idx').on(t.userId, t.startedAt),
		index('attempts_module_idx').on(t.userId, t.moduleId),
		index('attempts_open_idx').on(t.submittedAt, t.deadline),
		uniqueIndex('attempts_daily_once')
			.on(t.userId, t.day)
			.where(sql`kind = 'daily'`)
	]
);

/**
 * The questions of an attempt as drawn: a snapshot (stem, options in shown order,
 * answer in shown order, explanation), so later bank edits never change it.
 */
export const attemptItems = sqliteTable(
	'attempt_items',
	{
		attemptId: integer('attempt_id')
			.notNull()
			.references(() => attempts.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		questionId: integer('question_id')
			.notNull()
			.references(() => questions.id),
		snapshot: text('snapshot').notNull(), // JSON QuestionSnapshot
		response: text('response'), // JSON, null = unanswered
		flagged: integer('flagged', { mode: 'boolean' }).notNull().default(false),
		answeredAt: integer('answered_at', { mode: 'timestamp_ms' }),
		correct: integer('correct', { mode: 'boolean' })
	},
	(t) => [primaryKey({ columns: [t.attemptId, t.position] })]
);

/** 错题本: a question the user got wrong, scheduled for review with FSRS. */
export const wrongBook = sqliteTable(
	'wrong_book',
	{
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		questionId: integer('question_id')
			.notNull()
			.references(() => questions.id),
		addedAt: integer('added_at', { mode: 'timestamp_ms' }).notNull(),
		wrongCount: integer('wrong_count').notNull().default(1),
		lastWrongAt: integer('last_wrong_at', { mode: 'timestamp_ms' }).notNull(),
		// Missed 8 times: a hard point (难点) for the office's next collective study.
		hard: integer('hard', { mode: 'boolean' }).notNull().default(false),
		due: integer('due', { mode: 'timestamp_ms' }).notNull(),
		stability: real('stability').notNull().default(0),
		difficulty: real('difficulty').notNull().default(0),
		elapsedDays: integer('elapsed_days').notNull().default(0),
		scheduledDays: integer('scheduled_days').notNull().default(0),
		learningSteps: integer('learning_steps').notNull().default(0),
		reps: integer('reps').notNull().default(0),
		lapses: integer('lapses').notNull().default(0),
		state: integer('state').notNull().default(0),
		lastReview: integer('last_review', { mode: 'timestamp_ms' }),
		retiredAt: integer('retired_at', { mode: 'timestamp_ms' }),
		removedAt: integer('removed_at', { mode: 'timestamp_ms' })
	},
	(t) => [primaryKey({ columns: [t.userId, t.questionId] }), index('wrong_book_due_idx').on(t.userId, t.due)]
);
