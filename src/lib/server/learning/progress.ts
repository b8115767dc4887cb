import { and, eq, isNull } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { lessonProgress, lessons } from '../db/schema';
import { award } from '../points/ledger';
import { checkCourseCompletion } from '../courses/progress';
import { creditModuleHours } from './module-hours';
import { shanghaiDay } from '../time';

/** Remembers when the server first showed this lesson to this user (reading time counts from then). */
export function openLesson(db: Queryable, userId: number, lessonId: number, now = new Date()) {
	db.insert(lessonProgress).values({ userId, lessonId, openedAt: now }).onConflictDoNothing().run();
	return db
		.select()
		.from(lessonProgress)
		.where(and(eq(lessonProgress.userId, userId), eq(lessonProgress.lessonId, lessonId)))
		.get()!;
}

export type CompleteResult =
	| { ok: true; alreadyDone: boolean; awarded: number; capped: boolean }
	| { ok: false; reason: 'missing' }
	// An audio/video lesson completes only by watching it (learning/watch.ts).
	| { ok: false; reason: 'watch' }
	| { ok: false; reason: 'too-early'; secondsLeft: number };

/**
 * Marks a lesson studied, decided entirely on the server: the lesson must have
 * been open for its minimum reading time. The first completion pays the lesson
 * point (within the daily cap); repeats and races pay nothing more.
 */
export function completeLesson(
	db: Db,
	user: { id: number; officeId: number | null },
	lessonId: number,
	now = new Date()
): CompleteResult {
	const lesson = db
		.select()
		.from(lessons)
		.where(and(eq(lessons.id, lessonId), isNull(lessons.archivedAt)))
		.get();
	if (!lesson) return { ok: false, reason: 'missing' };
	if (lesson.kind !== 'text') return { ok: false, reason: 'watch' };
	return db.transaction((tx): CompleteResult => {
		const progress = openLesson(tx, user.id, lessonId, now);
		if (progress.completedAt) return { ok: true, alreadyDone: true, awarded: 0, capped: false };
		const readMs = now.getTime() - progress.openedAt.getTime();
		const neededMs = lesson.minReadSeconds * 1000;
		if (readMs < neededMs)
			return { ok: false, reason: 'too-early', secondsLeft: Math.ceil((neededMs - readMs) / 1000) };
		const result = recordCompletion(tx, user, lesson, now);
		if (!result) return { ok: true, alreadyDone: true, awarded: 0, capped: false };
		return { ok: true, alreadyDone: false, ...result };
	});
}

/** The point for a studied lesson, through the ledger (its key pays a lesson once per user). */
export function payLessonPoint(
	tx: Queryable,
	user: { id: number; officeId: number | null },
	lesson: { id: number; title: string },
	at: Date
) {
	return award(tx, {
		userId: user.id,
		officeId: user.officeId,
		rule: 'lesson_complete',
		key: `lesson:${user.id}:${lesson.id}`,
		reason: `完成课程《${lesson.title}》`,
		at
	});
}

/**
 * The one way a lesson becomes studied, read (completeLesson) or watched (watch.ts), inside the
 * caller's immediate transaction once it has decided the lesson is done: stamps the progress row
 * once (a completed lesson stays completed), pays the lesson point through the ledger (its key
 * makes repeats and races pay nothing more) and checks course completion. Null when the lesson
 * was already completed.
 */
export function recordCompletion(
	tx: Queryable,
	user: { id: number; officeId: number | null },
	lesson: { id: number; title: string; moduleId: number },
	now: Date
): { awarded: number; capped: boolean } | null {
	tx.insert(lessonProgress)
		.values({ userId: user.id, lessonId: lesson.id, openedAt: now })
		.onConflictDoNothing()
		.run();
	const stamped = tx
		.update(lessonProgress)
		.set({ completedAt: now, completedDay: shanghaiDay(now) })
		.where(
			and(
				eq(lessonProgress.userId, user.id),
				eq(lessonProgress.lessonId, lesson.id),
				isNull(lessonProgress.completedAt)
			)
		)
		.run();
	if (!stamped.changes) return null;
	const result = payLessonPoint(tx, user, lesson, now);
	checkCourseCompletion(tx, user.id, now);
	creditModuleHours(tx, user.id, lesson.moduleId, now);
	return { awarded: result.awarded, capped: result.capped };
}

/**
 * Consecutive Shanghai days with at least one completed lesson, ending today
 * (or yesterday, so a streak is not lost before today's study).
 */
export function studyStreak(db: Queryable, userId: number, now = new Date()): number {
	const days = new Set(
		db
			.selectDistinct({ day: lessonProgress.completedDay })
			.from(lessonProgress)
			.where(eq(lessonProgress.userId, userId))
			.all()
			.map((r) => r.day)
	);
	const dayMs = 86_400_000;
	let cursor = now.getTime();
	if (!days.has(shanghaiDay(now))) cursor -= dayMs;
	let streak = 0;
	while (days.has(shanghaiDay(new Date(cursor)))) {
		streak++;
		cursor -= dayMs;
	}
	return streak;
}
