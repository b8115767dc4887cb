// The quiz's statements on hot paths, prepared once per connection (see db/statements.ts):
// every answer-save, submission and page layout runs some of them.
import { and, eq, sql } from 'drizzle-orm';
import { attemptItems, attempts, modules } from '../db/schema';
import { pluck, query, statements } from '../db/statements';

const placeholder = sql.placeholder;

export const quizStatements = statements((q) => ({
	/** { attemptId, userId }: the attempt, only if it is this user's. */
	ownAttempt: q
		.select()
		.from(attempts)
		.where(and(eq(attempts.id, placeholder('attemptId')), eq(attempts.userId, placeholder('userId'))))
		.prepare(),
	/** { attemptId, position, userId }: one question's snapshot and the attempt's length. */
	snapshotAt: q
		.select({ snapshot: attemptItems.snapshot, total: attempts.total })
		.from(attemptItems)
		.innerJoin(attempts, eq(attempts.id, attemptItems.attemptId))
		.where(
			and(
				eq(attemptItems.attemptId, placeholder('attemptId')),
				eq(attemptItems.position, placeholder('position')),
				eq(attempts.userId, placeholder('userId'))
			)
		)
		.prepare(),
	/** One answer and/or flag: `answer`/`flag` (0/1) say which of them to write. */
	saveItem: q.$client.prepare(
		`UPDATE attempt_items SET response = iif(@answer, @response, response), answered_at = iif(@answer, @now, answered_at),
			flagged = iif(@flag, @flagged, flagged)
		WHERE attempt_id = @attemptId AND position = @position`
	),
	/** (submittedAt, auto, id): closes the attempt unless another transaction already did. */
	closeAttempt: q.$client.prepare(
		'UPDATE attempts SET submitted_at = ?, auto_submitted = ? WHERE id = ? AND submitted_at IS NULL'
	),
	/** { attemptId }: the items to mark, in order. */
	itemsToMark: q
		.select({
			position: attemptItems.position,
			questionId: attemptItems.questionId,
			snapshot: attemptItems.snapshot,
			response: attemptItems.response
		})
		.from(attemptItems)
		.where(eq(attemptItems.attemptId, placeholder('attemptId')))
		.orderBy(attemptItems.position)
		.prepare(),
	/** (JSON array of the right positions, attemptId) */
	markCorrect: q.$client.prepare(
		'UPDATE attempt_items SET correct = position IN (SELECT value FROM json_each(?)) WHERE attempt_id = ?'
	),
	/** (correct, percent, passed, points, flaggedFast, id) */
	recordScore: q.$client.prepare(
		'UPDATE attempts SET correct = ?, percent = ?, passed = ?, points = ?, flagged_fast = ? WHERE id = ?'
	),
	/** { moduleId } */
	moduleTitle: q
		.select({ title: modules.title })
		.from(modules)
		.where(eq(modules.id, placeholder('moduleId')))
		.prepare(),
	/** A wrong answer into the 错题本 (see recordWrong). */
	recordWrong: q.$client.prepare(
		`INSERT INTO wrong_book (user_id, question_id, added_at, last_wrong_at, due, stability, difficulty, elapsed_days,
			scheduled_days, learning_steps, reps, lapses, state, last_review)
		VALUES (@userId, @questionId, @now, @now, @due, @stability, @difficulty, @elapsedDays,
			@scheduledDays, @learningSteps, @reps, @lapses, @state, @lastReview)
		ON CONFLICT (user_id, question_id) DO UPDATE SET
			wrong_count = wrong_count + 1,
			last_wrong_at = @now,
			hard = wrong_count + 1 >= @hardAfter,
			-- back into the review queue if it had left it
			due = CASE WHEN retired_at IS NOT NULL OR removed_at IS NOT NULL THEN @now ELSE due END,
			retired_at = NULL,
			removed_at = NULL`
	),
	/** { userId, now (ms) }: questions due for review (the 答题 tab's badge). */
	/** { userId, now }: wrong-book entries due now (every page's layout: raw, no row object). */
	dueCount: pluck<number>(
		q,
		`SELECT count(*) FROM wrong_book
		WHERE user_id = @userId AND due <= @now AND retired_at IS NULL AND removed_at IS NULL`
	),
	/** (JSON array of office ids): the members' hard points, most widespread first. */
	hardPoints: query(
		q,
		`SELECT q.id, q.stem, m.title AS module_title, l.title AS lesson_title, m.slug AS module_slug, l.slug AS lesson_slug,
			count(*) AS members, sum(wb.wrong_count) AS misses
		FROM wrong_book wb
		JOIN users u ON u.id = wb.user_id
		JOIN questions q ON q.id = wb.question_id
		JOIN modules m ON m.id = q.module_id
		JOIN lessons l ON l.id = q.lesson_id
		WHERE wb.hard = 1 AND u.office_id IN (SELECT value FROM json_each(?)) AND u.active = 1
		GROUP BY q.id ORDER BY count(*) DESC, sum(wb.wrong_count) DESC LIMIT 50`,
		(r: {
			id: number;
			stem: string;
			module_title: string;
			lesson_title: string;
			module_slug: string;
			lesson_slug: string;
			members: number;
			misses: number;
		}) => ({
			questionId: r.id,
			stem: r.stem,
			moduleTitle: r.module_title,
			lessonTitle: r.lesson_title,
			lessonHref: `/learn/${r.module_slug}/${r.lesson_slug}`,
			members: r.members,
			misses: r.misses
		})
	)
}));
