// The exam's statements on hot paths (saving an answer, submitting, the taking page), prepared
// once per connection like quiz/statements.ts: 2,000 candidates save at once in one window.
import { and, eq, sql } from 'drizzle-orm';
import { examAttemptItems, examAttempts, exams, type QuestionType } from '../db/schema';
import { pluck, query, statements } from '../db/statements';

const placeholder = sql.placeholder;

/** The attempt columns saving an answer needs, with the snapshot at one position (null: no such position). */
export interface AttemptAtPosition {
	id: number;
	examId: number;
	userId: number;
	startedAt: Date;
	deadline: Date;
	submittedAt: Date | null;
	snapshot: string | null;
}

export const examStatements = statements((q) => ({
	/** { attemptId, userId }: the attempt, only if it is this user's. */
	ownAttempt: q
		.select()
		.from(examAttempts)
		.where(and(eq(examAttempts.id, placeholder('attemptId')), eq(examAttempts.userId, placeholder('userId'))))
		.prepare(),
	/**
	 * { attemptId, userId, position }: this user's attempt with the snapshot at one position,
	 * all one answer-save asks (one lookup).
	 */
	ownAttemptAt: query(
		q,
		`SELECT a.id, a.exam_id, a.user_id, a.started_at, a.deadline, a.submitted_at, i.snapshot
		FROM exam_attempts a
		LEFT JOIN exam_attempt_items i ON i.attempt_id = a.id AND i.position = @position
		WHERE a.id = @attemptId AND a.user_id = @userId`,
		(r: {
			id: number;
			exam_id: number;
			user_id: number;
			started_at: number;
			deadline: number;
			submitted_at: number | null;
			snapshot: string | null;
		}): AttemptAtPosition => ({
			id: r.id,
			examId: r.exam_id,
			userId: r.user_id,
			startedAt: new Date(r.started_at),
			deadline: new Date(r.deadline),
			submittedAt: r.submitted_at === null ? null : new Date(r.submitted_at),
			snapshot: r.snapshot
		})
	),
	/** { attemptId, position, userId }: one question's snapshot, only in this user's attempt. */
	snapshotAt: q
		.select({ snapshot: examAttemptItems.snapshot })
		.from(examAttemptItems)
		.innerJoin(examAttempts, eq(examAttempts.id, examAttemptItems.attemptId))
		.where(
			and(
				eq(examAttemptItems.attemptId, placeholder('attemptId')),
				eq(examAttemptItems.position, placeholder('position')),
				eq(examAttempts.userId, placeholder('userId'))
			)
		)
		.prepare(),
	/** One answer and/or flag: `answer`/`flag` (0/1) say which of them to write. */
	saveItem: q.$client.prepare(
		`UPDATE exam_attempt_items SET response = iif(@answer, @response, response), answered_at = iif(@answer, @now, answered_at),
			flagged = iif(@flag, @flagged, flagged)
		WHERE attempt_id = @attemptId AND position = @position`
	),
	/** (submittedAt, auto, id): closes the attempt unless another transaction already did. */
	closeAttempt: q.$client.prepare(
		'UPDATE exam_attempts SET submitted_at = ?, auto_submitted = ? WHERE id = ? AND submitted_at IS NULL'
	),
	/** { attemptId }: the items to score, in order. */
	itemsToScore: q
		.select({
			position: examAttemptItems.position,
			points: examAttemptItems.points,
			snapshot: examAttemptItems.snapshot,
			response: examAttemptItems.response
		})
		.from(examAttemptItems)
		.where(eq(examAttemptItems.attemptId, placeholder('attemptId')))
		.orderBy(examAttemptItems.position)
		.prepare(),
	/** { right, essays (JSON arrays of positions), attemptId }: objective items right or wrong, full points or none. */
	scoreItems: q.$client.prepare(
		`UPDATE exam_attempt_items
		SET correct = position IN (SELECT value FROM json_each(@right)),
			score = CASE WHEN position IN (SELECT value FROM json_each(@right)) THEN points ELSE 0 END
		WHERE attempt_id = @attemptId AND position NOT IN (SELECT value FROM json_each(@essays))`
	),
	/** { objective, score, passed, gradedAt, id }: the objective score, and the result when nothing waits for grading. */
	recordScore: q.$client.prepare(
		`UPDATE exam_attempts SET objective_score = @objective, score = @score, passed = @passed, graded_at = @gradedAt
		WHERE id = @id`
	),
	/** { examId } */
	passMark: q
		.select({ passMark: exams.passMark })
		.from(exams)
		.where(eq(exams.id, placeholder('examId')))
		.prepare(),
	/** { attemptId, userId, cutoff (ms) }: one more time the page was left, while the attempt runs. */
	recordLeave: q.$client.prepare(
		`UPDATE exam_attempts SET leave_count = leave_count + 1
		WHERE id = @attemptId AND user_id = @userId AND submitted_at IS NULL AND deadline >= @cutoff`
	)
}));

// The SQL of grading, release, results, the dashboard, item analysis and the 成绩单, prepared once
// per connection (see db/statements.ts). Set-based where an exam is read whole: release and item
// analysis of 2,000 candidates × 50 questions read every counted item in one statement.
const date = (ms: number | null) => (ms === null ? null : new Date(ms));

/** A 简答 item of a submitted attempt (grading.ts). */
export interface EssayRow {
	attemptId: number;
	position: number;
	questionId: number;
	points: number;
	score: number | null;
	code: string;
}

export interface GradeRow {
	attemptId: number;
	position: number;
	round: number;
	graderId: number;
	score: number;
	comment: string;
}

/** A graded attempt as the counting rule reads it (counted.ts). */
export interface GradedAttemptRow {
	id: number;
	userId: number;
	number: number;
	score: number;
	passed: boolean;
	gradedAt: Date;
	releasedAt: Date | null;
}

export interface CandidateRow {
	userId: number;
	name: string;
	username: string;
	officeId: number | null;
	officeName: string;
	opensAt: Date | null;
	closesAt: Date | null;
}

export interface AttemptRow {
	id: number;
	userId: number;
	number: number;
	code: string;
	submittedAt: Date | null;
	score: number | null;
	passed: boolean | null;
	gradedAt: Date | null;
	releasedAt: Date | null;
	leaveCount: number;
}

export interface ReviewRow {
	position: number;
	section: number;
	points: number;
	snapshot: string;
	response: string | null;
	score: number | null;
	correct: boolean | null;
	sourceRef: string;
}

export interface StatRow {
	examId: number;
	examTitle: string;
	questionId: number;
	responses: number;
	difficulty: number;
	discrimination: number | null;
	optionCounts: string;
	flags: string;
	stem: string;
	type: QuestionType;
	moduleTitle: string;
}

interface RawStat {
	exam_id: number;
	exam_title: string;
	question_id: number;
	responses: number;
	difficulty: number;
	discrimination: number | null;
	option_counts: string;
	flags: string;
	stem: string;
	type: QuestionType;
	module_title: string;
}

const statRow = (r: RawStat): StatRow => ({
	examId: r.exam_id,
	examTitle: r.exam_title,
	questionId: r.question_id,
	responses: r.responses,
	difficulty: r.difficulty,
	discrimination: r.discrimination,
	optionCounts: r.option_counts,
	flags: r.flags,
	stem: r.stem,
	type: r.type,
	moduleTitle: r.module_title
});

const STATS = `SELECT s.exam_id, e.title AS exam_title, s.question_id, s.responses, s.difficulty, s.discrimination,
	s.option_counts, s.flags, q.stem, q.type, m.title AS module_title
	FROM exam_item_stats s JOIN exams e ON e.id = s.exam_id
	JOIN questions q ON q.id = s.question_id JOIN modules m ON m.id = q.module_id`;

export const gradingStatements = statements((q) => ({
	// ------------------------------------------------------------ grading

	/**
	 * { examId, pending (0/1) }: the 简答 items of the exam's submitted attempts (pending: only
	 * those of attempts not yet graded whose score is not settled), by question, then attempt.
	 */
	essayItems: query(
		q,
		`SELECT i.attempt_id, i.position, i.question_id, i.points, i.score, a.code
		FROM exam_attempts a JOIN exam_attempt_items i ON i.attempt_id = a.id
		WHERE a.exam_id = @examId AND a.submitted_at IS NOT NULL
			AND (@pending = 0 OR (a.graded_at IS NULL AND i.score IS NULL))
			-- objective items are marked right or wrong on submission; only 简答 stay unmarked
			AND i.correct IS NULL AND json_extract(i.snapshot, '$.type') = 'essay'
		ORDER BY i.question_id, a.id, i.position`,
		(r: {
			attempt_id: number;
			position: number;
			question_id: number;
			points: number;
			score: number | null;
			code: string;
		}): EssayRow => ({
			attemptId: r.attempt_id,
			position: r.position,
			questionId: r.question_id,
			points: r.points,
			score: r.score,
			code: r.code
		})
	),
	/** { examId, pending (0/1) }: the grades given in the exam (pending: on attempts not yet graded). */
	examGrades: query(
		q,
		`SELECT g.attempt_id, g.position, g.round, g.grader_id, g.score, g.comment
		FROM exam_attempts a JOIN exam_grades g ON g.attempt_id = a.id
		WHERE a.exam_id = @examId AND (@pending = 0 OR a.graded_at IS NULL)`,
		(r: {
			attempt_id: number;
			position: number;
			round: number;
			grader_id: number;
			score: number;
			comment: string;
		}): GradeRow => ({
			attemptId: r.attempt_id,
			position: r.position,
			round: r.round,
			graderId: r.grader_id,
			score: r.score,
			comment: r.comment
		})
	),
	/** { attemptId, position }: an item's snapshot and response. */
	itemAt: query(
		q,
		'SELECT snapshot, response FROM exam_attempt_items WHERE attempt_id = @attemptId AND position = @position',
		(r: { snapshot: string; response: string | null }) => r
	),
	/** { attemptId, position, examId }: an item of a submitted attempt of the exam, with the attempt's code. */
	submittedItem: query(
		q,
		`SELECT i.snapshot, i.points, i.score, a.code FROM exam_attempt_items i JOIN exam_attempts a ON a.id = i.attempt_id
		WHERE i.attempt_id = @attemptId AND i.position = @position AND a.exam_id = @examId AND a.submitted_at IS NOT NULL`,
		(r: { snapshot: string; points: number; score: number | null; code: string }) => r
	),
	/** { score, attemptId, position } */
	scoreItem: q.$client.prepare(
		'UPDATE exam_attempt_items SET score = @score WHERE attempt_id = @attemptId AND position = @position'
	),
	/** { attemptId }: items without a score yet, and the sum of the scores. */
	attemptSums: query(
		q,
		`SELECT count(*) FILTER (WHERE score IS NULL) AS open, coalesce(sum(score), 0) AS total
		FROM exam_attempt_items WHERE attempt_id = @attemptId`,
		(r: { open: number; total: number }) => r
	),
	/** { score, passed, gradedAt, id }: the attempt's result, once (only while ungraded). */
	gradeAttempt: q.$client.prepare(
		'UPDATE exam_attempts SET score = @score, passed = @passed, graded_at = @gradedAt WHERE id = @id AND graded_at IS NULL'
	),
	/** { examId }: 简答 answers of submitted, ungraded attempts whose score is not settled. */
	ungradedAnswers: pluck<number>(
		q,
		`SELECT count(*) FROM exam_attempts a JOIN exam_attempt_items i ON i.attempt_id = a.id
		WHERE a.exam_id = @examId AND a.submitted_at IS NOT NULL AND a.graded_at IS NULL AND i.score IS NULL
			AND i.correct IS NULL AND json_extract(i.snapshot, '$.type') = 'essay'`
	),

	// ------------------------------------------------------------ release

	/** { examId, now }: active candidates whose own (补考) window has not closed. */
	openRetakes: pluck<number>(
		q,
		`SELECT count(*) FROM exam_candidates c JOIN users u ON u.id = c.user_id
		WHERE c.exam_id = @examId AND c.active = 1 AND u.active = 1
			AND c.opens_at IS NOT NULL AND c.closes_at > @now`
	),
	/** { examId }: attempts still running. */
	runningAttempts: pluck<number>(
		q,
		'SELECT count(*) FROM exam_attempts WHERE exam_id = @examId AND submitted_at IS NULL'
	),
	/** { examId }: graded attempts not yet released. */
	unreleased: query(
		q,
		'SELECT id, user_id FROM exam_attempts WHERE exam_id = @examId AND graded_at IS NOT NULL AND released_at IS NULL',
		(r: { id: number; user_id: number }) => ({ id: r.id, userId: r.user_id })
	),
	/** { at, examId }: releases the graded attempts. */
	releaseAttempts: q.$client.prepare(
		'UPDATE exam_attempts SET released_at = @at WHERE exam_id = @examId AND graded_at IS NOT NULL AND released_at IS NULL'
	),
	/** { examId }: graded attempts (released or not), for the counting rule. */
	gradedAttempts: query(
		q,
		`SELECT id, user_id, number, score, passed, graded_at, released_at FROM exam_attempts
		WHERE exam_id = @examId AND graded_at IS NOT NULL AND score IS NOT NULL`,
		(r: {
			id: number;
			user_id: number;
			number: number;
			score: number;
			passed: number | null;
			graded_at: number;
			released_at: number | null;
		}): GradedAttemptRow => ({
			id: r.id,
			userId: r.user_id,
			number: r.number,
			score: r.score,
			passed: r.passed === 1,
			gradedAt: new Date(r.graded_at),
			releasedAt: date(r.released_at)
		})
	),
	/** { now }: exams due for automatic release: not yet released, or with graded attempts released since. */
	dueForRelease: pluck<number>(
		q,
		`SELECT e.id FROM exams e
		WHERE e.release_at IS NOT NULL AND e.release_at <= @now AND e.cancelled_at IS NULL
			AND (e.released_at IS NULL OR EXISTS (SELECT 1 FROM exam_attempts a
				WHERE a.exam_id = e.id AND a.graded_at IS NOT NULL AND a.released_at IS NULL))`
	),

	// ------------------------------------------------------------ results

	/** { attemptId }: the attempt's items with the question's source, in order. */
	reviewItems: query(
		q,
		`SELECT i.position, i.section, i.points, i.snapshot, i.response, i.score, i.correct, q.source_ref
		FROM exam_attempt_items i LEFT JOIN questions q ON q.id = i.question_id
		WHERE i.attempt_id = @attemptId ORDER BY i.position`,
		(r: {
			position: number;
			section: number;
			points: number;
			snapshot: string;
			response: string | null;
			score: number | null;
			correct: number | null;
			source_ref: string | null;
		}): ReviewRow => ({
			position: r.position,
			section: r.section,
			points: r.points,
			snapshot: r.snapshot,
			response: r.response,
			score: r.score,
			correct: r.correct === null ? null : r.correct === 1,
			sourceRef: r.source_ref ?? ''
		})
	),
	/** { attemptId }: the graders' comments (never who wrote them), by round. */
	comments: query(
		q,
		"SELECT position, comment FROM exam_grades WHERE attempt_id = @attemptId AND comment <> '' ORDER BY round, id",
		(r: { position: number; comment: string }) => r
	),

	// ------------------------------------------------------------ dashboard and 成绩单

	/** { examId }: active candidates with active accounts, in pinyin order. */
	candidates: query(
		q,
		`SELECT c.user_id, u.name, u.username, c.office_id, o.name AS office_name, c.opens_at, c.closes_at
		FROM exam_candidates c JOIN users u ON u.id = c.user_id LEFT JOIN offices o ON o.id = c.office_id
		WHERE c.exam_id = @examId AND c.active = 1 AND u.active = 1
		ORDER BY u.name_key, u.name, u.id`,
		(r: {
			user_id: number;
			name: string;
			username: string;
			office_id: number | null;
			office_name: string | null;
			opens_at: number | null;
			closes_at: number | null;
		}): CandidateRow => ({
			userId: r.user_id,
			name: r.name,
			username: r.username,
			officeId: r.office_id,
			officeName: r.office_name ?? '',
			opensAt: date(r.opens_at),
			closesAt: date(r.closes_at)
		})
	),
	/** { examId }: every attempt of the exam, by number. */
	attempts: query(
		q,
		`SELECT id, user_id, number, code, submitted_at, score, passed, graded_at, released_at, leave_count
		FROM exam_attempts WHERE exam_id = @examId ORDER BY number`,
		(r: {
			id: number;
			user_id: number;
			number: number;
			code: string;
			submitted_at: number | null;
			score: number | null;
			passed: number | null;
			graded_at: number | null;
			released_at: number | null;
			leave_count: number;
		}): AttemptRow => ({
			id: r.id,
			userId: r.user_id,
			number: r.number,
			code: r.code,
			submittedAt: date(r.submitted_at),
			score: r.score,
			passed: r.passed === null ? null : r.passed === 1,
			gradedAt: date(r.graded_at),
			releasedAt: date(r.released_at),
			leaveCount: r.leave_count
		})
	),
	/** (JSON array of attempt ids): [attempt, position, score] of every item, as plain arrays. */
	itemScores: q.$client
		.prepare<[string], [number, number, number | null]>(
			'SELECT attempt_id, position, score FROM exam_attempt_items WHERE attempt_id IN (SELECT value FROM json_each(?))'
		)
		.raw(),

	// ------------------------------------------------------------ item analysis

	/** { examId } */
	clearStats: q.$client.prepare('DELETE FROM exam_item_stats WHERE exam_id = @examId'),
	/**
	 * (JSON array of attempt ids): [attempt, position, question, points, score, correct] of every
	 * item of those attempts, as plain arrays (100,000 rows for a large exam).
	 */
	countedItems: q.$client
		.prepare<[string], [number, number, number, number, number | null, number | null]>(
			`SELECT attempt_id, position, question_id, points, score, correct FROM exam_attempt_items
			WHERE attempt_id IN (SELECT value FROM json_each(?))`
		)
		.raw(),
	/**
	 * (JSON attempt ids, JSON question ids): [question, snapshot, response, count] of the answers
	 * given, grouped by the snapshot as stored (the options in the order that candidate saw).
	 */
	chosenOptions: q.$client
		.prepare<[string, string], [number, string, string, number]>(
			`SELECT question_id, snapshot, response, count(*) FROM exam_attempt_items
			WHERE attempt_id IN (SELECT value FROM json_each(?)) AND question_id IN (SELECT value FROM json_each(?))
				AND response IS NOT NULL
			GROUP BY question_id, snapshot, response`
		)
		.raw(),
	/** { examId, questionId, responses, difficulty, discrimination, optionCounts, flags, computedAt } */
	insertStat: q.$client.prepare(
		`INSERT INTO exam_item_stats (exam_id, question_id, responses, difficulty, discrimination, option_counts, flags, computed_at)
		VALUES (@examId, @questionId, @responses, @difficulty, @discrimination, @optionCounts, @flags, @computedAt)`
	),
	/** { examId }: the exam's item analysis with each question's stem, type and module. */
	examStats: query(q, `${STATS} WHERE s.exam_id = @examId`, statRow),
	/** { examId }: where each question of the exam first stood (section, position). */
	questionOrder: query(
		q,
		`SELECT i.question_id, min(i.section) AS section, min(i.position) AS position FROM exam_attempts a
		JOIN exam_attempt_items i ON i.attempt_id = a.id WHERE a.exam_id = @examId GROUP BY i.question_id`,
		(r: { question_id: number; section: number; position: number }) => r
	),
	/** { ids (JSON), school, office (null: any) }: item analyses of these questions, newest first, cancelled exams left out. */
	latestStats: query(
		q,
		`${STATS}
		WHERE s.question_id IN (SELECT value FROM json_each(@ids)) AND e.cancelled_at IS NULL
			AND (@school IS NULL OR e.owner_school_id = @school) AND (@office IS NULL OR e.owner_office_id = @office)
		ORDER BY s.computed_at DESC, s.exam_id DESC`,
		statRow
	)
}));
