import { sqliteTable, integer, text, primaryKey, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './auth';
import { offices } from './org';

export const LIVE_PHASES = ['lobby', 'question', 'reveal', 'finished'] as const;
export type LivePhase = (typeof LIVE_PHASES)[number];

/** A live quiz in the meeting room: the host's projector drives it, phones join with a PIN. */
export const liveQuizzes = sqliteTable(
	'live_quizzes',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		officeId: integer('office_id')
			.notNull()
			.references(() => offices.id),
		hostId: integer('host_id')
			.notNull()
			.references(() => users.id),
		title: text('title').notNull(),
		pin: text('pin').notNull(),
		// JSON QuestionSnapshot[]: fixed when the quiz is created; answers stay on the server.
		questions: text('questions').notNull(),
		secondsPerQuestion: integer('seconds_per_question').notNull(),
		speedBonus: integer('speed_bonus', { mode: 'boolean' }).notNull(),
		phase: text('phase', { enum: LIVE_PHASES }).notNull().default('lobby'),
		currentIndex: integer('current_index').notNull().default(-1),
		questionStartedAt: integer('question_started_at', { mode: 'timestamp_ms' }),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		finishedAt: integer('finished_at', { mode: 'timestamp_ms' })
	},
	(t) => [uniqueIndex('live_quizzes_pin').on(t.pin)]
);

export const livePlayers = sqliteTable(
	'live_players',
	{
		liveId: integer('live_id')
			.notNull()
			.references(() => liveQuizzes.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id),
		joinedAt: integer('joined_at', { mode: 'timestamp_ms' }).notNull(),
		score: integer('score').notNull().default(0),
		rank: integer('rank')
	},
	(t) => [primaryKey({ columns: [t.liveId, t.userId] })]
);

export const liveAnswers = sqliteTable(
	'live_answers',
	{
		liveId: integer('live_id')
			.notNull()
			.references(() => liveQuizzes.id, { onDelete: 'cascade' }),
		questionIndex: integer('question_index').notNull(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id),
		response: text('response').notNull(),
		answeredAt: integer('answered_at', { mode: 'timestamp_ms' }).notNull(),
		correct: integer('correct', { mode: 'boolean' }).notNull(),
		score: integer('score').notNull()
	},
	(t) => [primaryKey({ columns: [t.liveId, t.questionIndex, t.userId] })]
);
