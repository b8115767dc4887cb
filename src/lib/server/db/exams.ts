import { sqliteTable, integer, text, real, primaryKey, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './auth';
import { questions } from './content';
import { courses } from './courses';
import { offices, schools } from './org';

// Formal exams (考试): a paper (试卷) composed from the question banks, held in a window for
// assigned candidates, objective questions scored on submission, 简答 graded by hand, results
// released by the admin. See exams/ and docs/ARCHITECTURE.md (Exams).

/**
 * A paper: sections of fixed questions or of draw rules, as one JSON document (exams/paper.ts
 * PaperDoc). Owned like authored content: a party school or an office. Points are in
 * half-point steps; `pass_mark` is in points, at most the paper's total.
 */
export const examPapers = sqliteTable(
	'exam_papers',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		ownerSchoolId: integer('owner_school_id').references(() => schools.id),
		ownerOfficeId: integer('owner_office_id').references(() => offices.id),
		title: text('title').notNull(),
		instructions: text('instructions').notNull().default(''),
		doc: text('doc').notNull(),
		totalPoints: real('total_points').notNull(),
		passMark: real('pass_mark').notNull(),
		createdBy: integer('created_by')
			.notNull()
			.references(() => users.id),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		updatedBy: integer('updated_by')
			.notNull()
			.references(() => users.id),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
		archivedAt: integer('archived_at', { mode: 'timestamp_ms' })
	},
	(t) => [
		index('exam_papers_owner_school_idx').on(t.ownerSchoolId),
		index('exam_papers_owner_office_idx').on(t.ownerOfficeId)
	]
);

export const EXAM_COUNTING = ['highest', 'last', 'first'] as const;
export type ExamCounting = (typeof EXAM_COUNTING)[number];

/**
 * An exam: a paper (frozen into `paper_doc` when the exam is created, refreshed from the paper
 * only until the first candidate starts) plus a window, a duration and its rules.
 */
export const exams = sqliteTable(
	'exams',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		ownerSchoolId: integer('owner_school_id').references(() => schools.id),
		ownerOfficeId: integer('owner_office_id').references(() => offices.id),
		paperId: integer('paper_id')
			.notNull()
			.references(() => examPapers.id),
		title: text('title').notNull(),
		instructions: text('instructions').notNull().default(''),
		paperDoc: text('paper_doc').notNull(),
		totalPoints: real('total_points').notNull(),
		passMark: real('pass_mark').notNull(),
		opensAt: integer('opens_at', { mode: 'timestamp_ms' }).notNull(),
		closesAt: integer('closes_at', { mode: 'timestamp_ms' }).notNull(),
		durationMinutes: integer('duration_minutes').notNull(),
		attemptsAllowed: integer('attempts_allowed').notNull().default(1),
		counting: text('counting', { enum: EXAM_COUNTING }).notNull().default('highest'),
		// After release, candidates may see their answers with the key, explanations and comments.
		showReview: integer('show_review', { mode: 'boolean' }).notNull().default(true),
		// 简答: a second grader for every answer; a third when the two differ by more than the margin.
		secondGrading: integer('second_grading', { mode: 'boolean' }).notNull().default(false),
		gradingMargin: real('grading_margin').notNull().default(2),
		// Released automatically at this time (once grading is complete), or by the admin.
		releaseAt: integer('release_at', { mode: 'timestamp_ms' }),
		releasedAt: integer('released_at', { mode: 'timestamp_ms' }),
		// Part of this course's completion rule (a released, passing result), if set.
		courseId: integer('course_id').references(() => courses.id),
		creditHours: real('credit_hours').notNull().default(0),
		createdBy: integer('created_by')
			.notNull()
			.references(() => users.id),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
		cancelledAt: integer('cancelled_at', { mode: 'timestamp_ms' })
	},
	(t) => [
		index('exams_owner_school_idx').on(t.ownerSchoolId),
		index('exams_owner_office_idx').on(t.ownerOfficeId),
		index('exams_course_idx').on(t.courseId)
	]
);

/** An assignment of an exam to an office (optionally with its descendants) or one person, like courses. */
export const examAssignments = sqliteTable(
	'exam_assignments',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		examId: integer('exam_id')
			.notNull()
			.references(() => exams.id, { onDelete: 'cascade' }),
		officeId: integer('office_id').references(() => offices.id),
		includeDescendants: integer('include_descendants', { mode: 'boolean' }).notNull().default(false),
		userId: integer('user_id').references(() => users.id),
		assignedBy: integer('assigned_by').references(() => users.id),
		assignedAt: integer('assigned_at', { mode: 'timestamp_ms' }).notNull(),
		withdrawnAt: integer('withdrawn_at', { mode: 'timestamp_ms' })
	},
	(t) => [
		index('exam_assignments_exam_idx').on(t.examId),
		index('exam_assignments_office_idx').on(t.officeId)
	]
);

/**
 * A candidate: created when an assignment reaches them (later joiners while the window is
 * open), kept when it no longer does (`active` false). 补考 grants live here: extra attempts
 * and an own window that replaces the exam's.
 */
export const examCandidates = sqliteTable(
	'exam_candidates',
	{
		examId: integer('exam_id')
			.notNull()
			.references(() => exams.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		// The office they sat for (their office when enrolled): dashboards roll up by it.
		officeId: integer('office_id').references(() => offices.id),
		enrolledAt: integer('enrolled_at', { mode: 'timestamp_ms' }).notNull(),
		active: integer('active', { mode: 'boolean' }).notNull().default(true),
		extraAttempts: integer('extra_attempts').notNull().default(0),
		opensAt: integer('opens_at', { mode: 'timestamp_ms' }),
		closesAt: integer('closes_at', { mode: 'timestamp_ms' })
	},
	(t) => [primaryKey({ columns: [t.examId, t.userId] }), index('exam_candidates_user_idx').on(t.userId)]
);

/** The admins an exam names to grade its 简答 answers. */
export const examGraders = sqliteTable(
	'exam_graders',
	{
		examId: integer('exam_id')
			.notNull()
			.references(() => exams.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id)
	},
	(t) => [primaryKey({ columns: [t.examId, t.userId] }), index('exam_graders_user_idx').on(t.userId)]
);

/**
 * One sitting. `code` is the anonymous 答卷编号 graders see. Scores are in points:
 * `objective_score` on submission, `score` once every 简答 answer is graded, `released_at`
 * when the candidate may see it.
 */
export const examAttempts = sqliteTable(
	'exam_attempts',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		examId: integer('exam_id')
			.notNull()
			.references(() => exams.id),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		number: integer('number').notNull(),
		code: text('code').notNull(),
		startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
		deadline: integer('deadline', { mode: 'timestamp_ms' }).notNull(),
		submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }),
		autoSubmitted: integer('auto_submitted', { mode: 'boolean' }).notNull().default(false),
		objectiveScore: real('objective_score'),
		score: real('score'),
		passed: integer('passed', { mode: 'boolean' }),
		gradedAt: integer('graded_at', { mode: 'timestamp_ms' }),
		releasedAt: integer('released_at', { mode: 'timestamp_ms' }),
		// Times the page was left while the attempt ran: shown to the admin, never punished.
		leaveCount: integer('leave_count').notNull().default(0)
	},
	(t) => [
		uniqueIndex('exam_attempts_number').on(t.examId, t.userId, t.number),
		uniqueIndex('exam_attempts_code').on(t.examId, t.code),
		index('exam_attempts_user_idx').on(t.userId),
		index('exam_attempts_open_idx').on(t.submittedAt, t.deadline)
	]
);

/** The questions of a sitting as drawn (a snapshot, like quiz attempts), with their points and score. */
export const examAttemptItems = sqliteTable(
	'exam_attempt_items',
	{
		attemptId: integer('attempt_id')
			.notNull()
			.references(() => examAttempts.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		// The index of the paper section it was drawn for (0-based).
		section: integer('section').notNull(),
		questionId: integer('question_id')
			.notNull()
			.references(() => questions.id),
		points: real('points').notNull(),
		snapshot: text('snapshot').notNull(), // JSON QuestionSnapshot
		response: text('response'), // JSON, null = unanswered
		flagged: integer('flagged', { mode: 'boolean' }).notNull().default(false),
		answeredAt: integer('answered_at', { mode: 'timestamp_ms' }),
		// Objective: on submission. 简答: once its grading is complete.
		score: real('score'),
		correct: integer('correct', { mode: 'boolean' })
	},
	(t) => [
		primaryKey({ columns: [t.attemptId, t.position] }),
		index('exam_items_question_idx').on(t.questionId)
	]
);

/**
 * One grader's marks for one 简答 answer, in a round (1, 2, or 3 when two differ by more than
 * the exam's margin). The unique keys make concurrent grading of the same answer safe.
 */
export const examGrades = sqliteTable(
	'exam_grades',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		attemptId: integer('attempt_id')
			.notNull()
			.references(() => examAttempts.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		round: integer('round').notNull(),
		graderId: integer('grader_id')
			.notNull()
			.references(() => users.id),
		scores: text('scores').notNull(), // JSON number[]: one per rubric point
		score: real('score').notNull(), // in the item's points
		comment: text('comment').notNull().default(''),
		gradedAt: integer('graded_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [
		uniqueIndex('exam_grades_round').on(t.attemptId, t.position, t.round),
		uniqueIndex('exam_grades_grader').on(t.attemptId, t.position, t.graderId),
		index('exam_grades_grader_idx').on(t.graderId)
	]
);

/** Item analysis of a question in an exam, computed on release; shown on the exam and in the bank. */
export const examItemStats = sqliteTable(
	'exam_item_stats',
	{
		examId: integer('exam_id')
			.notNull()
			.references(() => exams.id, { onDelete: 'cascade' }),
		questionId: integer('question_id')
			.notNull()
			.references(() => questions.id),
		responses: integer('responses').notNull(),
		difficulty: real('difficulty').notNull(),
		discrimination: real('discrimination'),
		optionCounts: text('option_counts').notNull(), // JSON: { option text: count }
		flags: text('flags').notNull(), // JSON ItemFlag[]
		computedAt: integer('computed_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [
		primaryKey({ columns: [t.examId, t.questionId] }),
		index('exam_item_stats_question_idx').on(t.questionId)
	]
);
