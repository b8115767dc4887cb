import { and, asc, eq, isNull, lte } from 'drizzle-orm';
import { createEmptyCard, fsrs, Rating, type Card } from 'ts-fsrs';
import type { Queryable } from '../db';
import { lessons, modules, questions, wrongBook } from '../db/schema';
import { quizStatements } from './statements';

// Defaults from ts-fsrs: 90% target retention, fuzzing off so schedules are predictable to test.
const scheduler = fsrs({ enable_fuzz: false });

/** A question retires after a correct review that leaves it stable for this many days. */
export const RETIRE_STABILITY_DAYS = 21;
export const HARD_AFTER_MISSES = 8;

type Entry = typeof wrongBook.$inferSelect;

function cardOf(e: Entry): Card {
	return {
		due: e.due,
		stability: e.stability,
		difficulty: e.difficulty,
		elapsed_days: e.elapsedDays,
		scheduled_days: e.scheduledDays,
		learning_steps: e.learningSteps,
		reps: e.reps,
		lapses: e.lapses,
		state: e.state,
		last_review: e.lastReview ?? undefined
	};
}

function cardColumns(c: Card) {
	return {
		due: c.due,
		stability: c.stability,
		difficulty: c.difficulty,
		elapsedDays: c.elapsed_days,
		scheduledDays: c.scheduled_days,
		learningSteps: c.learning_steps,
		reps: c.reps,
		lapses: c.lapses,
		state: c.state,
		lastReview: c.last_review ?? null
	};
}

/**
 * A wrong answer, from any quiz: enters the book (due at once) or, if already
 * there, counts another miss. A question missed 8 times becomes a hard point.
 * A removed or retired question comes back when it is missed again.
 */
export function recordWrong(tx: Queryable, userId: number, questionId: number, now: Date): void {
	const fresh = cardColumns(createEmptyCard(now));
	// Prepared: a submission files every mistake (quiz/statements.ts).
	quizStatements(tx).recordWrong.run({
		...fresh,
		userId,
		questionId,
		now: now.getTime(),
		due: fresh.due.getTime(),
		lastReview: fresh.lastReview?.getTime() ?? null,
		hardAfter: HARD_AFTER_MISSES
	});
}

const live = (userId: number) =>
	and(eq(wrongBook.userId, userId), isNull(wrongBook.retiredAt), isNull(wrongBook.removedAt));

/** The badge on the 答题 tab; every page's layout asks, hence the prepared statement. */
export function dueCount(db: Queryable, userId: number, now = new Date()): number {
	return quizStatements(db).dueCount.get({ userId, now: now.getTime() }) ?? 0;
}

/** The next question due for review, earliest first. */
export function nextDue(db: Queryable, userId: number, now = new Date()) {
	return db
		.select({ questionId: wrongBook.questionId, due: wrongBook.due })
		.from(wrongBook)
		.where(and(live(userId), lte(wrongBook.due, now)))
		.orderBy(asc(wrongBook.due))
		.limit(1)
		.get();
}

export function getEntry(db: Queryable, userId: number, questionId: number): Entry | undefined {
	return db
		.select()
		.from(wrongBook)
		.where(and(eq(wrongBook.userId, userId), eq(wrongBook.questionId, questionId)))
		.get();
}

/**
 * Schedules a reviewed question with FSRS: right is "Good", wrong is "Again"
 * (and counts as another miss). A right answer that leaves the card stable for
 * three weeks retires it from the book.
 */
export function recordReview(tx: Queryable, userId: number, questionId: number, correct: boolean, now: Date) {
	const entry = getEntry(tx, userId, questionId);
	if (!entry || entry.retiredAt || entry.removedAt) return undefined;
	const { card } = scheduler.next(cardOf(entry), now, correct ? Rating.Good : Rating.Again);
	const retire = correct && card.stability >= RETIRE_STABILITY_DAYS;
	const misses = entry.wrongCount + (correct ? 0 : 1);
	tx.update(wrongBook)
		.set({
			...cardColumns(card),
			wrongCount: misses,
			lastWrongAt: correct ? entry.lastWrongAt : now,
			hard: misses >= HARD_AFTER_MISSES,
			retiredAt: retire ? now : null
		})
		.where(and(eq(wrongBook.userId, userId), eq(wrongBook.questionId, questionId)))
		.run();
	return { due: card.due, retired: retire, stability: card.stability };
}

export function removeFromBook(db: Queryable, userId: number, questionId: number, now = new Date()): boolean {
	const removed = db
		.update(wrongBook)
		.set({ removedAt: now })
		.where(and(live(userId), eq(wrongBook.questionId, questionId)))
		.run();
	return removed.changes > 0;
}

/** The book as a list: live entries with their question and module, soonest due first. */
export function listBook(db: Queryable, userId: number) {
	return db
		.select({
			questionId: wrongBook.questionId,
			stem: questions.stem,
			type: questions.type,
			moduleTitle: modules.title,
			moduleSlug: modules.slug,
			lessonSlug: lessons.slug,
			lessonTitle: lessons.title,
			// The passage it rests on (a 原文 link): the entry was answered and is for study.
			sourceRef: questions.sourceRef,
			wrongCount: wrongBook.wrongCount,
			hard: wrongBook.hard,
			due: wrongBook.due
		})
		.from(wrongBook)
		.innerJoin(questions, eq(questions.id, wrongBook.questionId))
		.innerJoin(modules, eq(modules.id, questions.moduleId))
		.innerJoin(lessons, eq(lessons.id, questions.lessonId))
		.where(live(userId))
		.orderBy(asc(wrongBook.due))
		.all();
}
