import { and, eq } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { lessons, modules, questions } from '../db/schema';
import { answerText, isCorrect, publicQuestion, snapshotOf, type Response } from './questions';
import { getEntry, nextDue, recordReview } from './wrongbook';

function bankSnapshot(db: Queryable, questionId: number) {
	const q = db.select().from(questions).where(eq(questions.id, questionId)).get();
	return q && snapshotOf(q, false);
}

/** The next wrong-book question due for review, as the browser may see it (no answer). */
export function nextReview(db: Queryable, userId: number, now = new Date()) {
	const due = nextDue(db, userId, now);
	if (!due) return null;
	const snap = bankSnapshot(db, due.questionId);
	return snap ? { questionId: due.questionId, question: publicQuestion(snap) } : null;
}

export type ReviewOutcome =
	| {
			ok: true;
			correct: boolean;
			correctAnswer: string;
			explanation: string;
			retired: boolean;
			due: Date;
			lessonHref: string;
			lessonTitle: string;
			/** The question's source (a 原文 link), shown with the explanation once answered. */
			sourceRef: string;
	  }
	| { ok: false; message: string };

/** Grades a review answer on the server and reschedules the question with FSRS. */
export function answerReview(
	db: Db,
	userId: number,
	questionId: number,
	response: Response | null,
	now = new Date()
): ReviewOutcome {
	const entry = getEntry(db, userId, questionId);
	if (!entry || entry.retiredAt || entry.removedAt) return { ok: false, message: '这道题不在您的错题本中' };
	if (entry.due.getTime() > now.getTime()) return { ok: false, message: '这道题还没到复习时间' };
	const q = db.select().from(questions).where(eq(questions.id, questionId)).get();
	if (!q) return { ok: false, message: '这道题已不存在' };
	const snap = snapshotOf(q, false);
	if (response === null) return { ok: false, message: '请先作答再提交' };
	const correct = isCorrect(snap, response);
	const scheduled = db.transaction((tx) => recordReview(tx, userId, questionId, correct, now));
	if (!scheduled) return { ok: false, message: '这道题不在您的错题本中' };
	const lesson = db
		.select({ slug: lessons.slug, title: lessons.title, moduleSlug: modules.slug })
		.from(lessons)
		.innerJoin(modules, eq(modules.id, lessons.moduleId))
		.where(and(eq(lessons.id, snap.lessonId)))
		.get();
	return {
		ok: true,
		correct,
		correctAnswer: answerText(snap),
		explanation: snap.explanation,
		retired: scheduled.retired,
		due: scheduled.due,
		lessonHref: lesson ? `/learn/${lesson.moduleSlug}/${lesson.slug}` : '/learn',
		lessonTitle: lesson?.title ?? '',
		sourceRef: q.sourceRef
	};
}
