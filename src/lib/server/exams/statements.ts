// The exam's statements on hot paths (saving an answer, submitting, the taking page), prepared
// once per connection like quiz/statements.ts: 2,000 candidates save at once in one window.
import { and, eq, sql } from 'drizzle-orm';
import { examAttemptItems, examAttempts, exams } from '../db/schema';
import { query, statements } from '../db/statements';

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
