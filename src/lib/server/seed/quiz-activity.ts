import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { attempts, lessonProgress, lessons, modules, questions, users, wrongBook } from '../db/schema';
import { MEMBER_ROLES } from '../access';
import { items, saveAnswer, startDailyPractice, startModuleAttempt, submitAttempt } from '../quiz/attempts';
import { snapshotOf, type QuestionSnapshot, type Response } from '../quiz/questions';
import { getEntry, HARD_AFTER_MISSES } from '../quiz/wrongbook';
import { answerReview } from '../quiz/review';
import { shanghaiMidnight } from '../time';
import { rng } from './people';

const HOUR = 3_600_000;

function responseFor(s: QuestionSnapshot, right: boolean): Response {
	switch (s.type) {
		case 'single':
			return right ? (s.answer as number) : ((s.answer as number) + 1) % s.options.length;
		case 'multiple':
			return right ? (s.answer as number[]) : [(s.answer as number[])[0]!];
		case 'truefalse':
			return right ? (s.answer as boolean) : !(s.answer as boolean);
		case 'fill':
			return (s.answer as string[][]).map((accepted) => (right ? accepted[0]! : '不记得了'));
		case 'essay':
			// Quizzes never draw 简答 (exams only); a text keeps the switch whole.
			return right ? '' : '不记得了';
	}
}

/** Answers and submits an attempt through the real engine, so points and the wrong book follow. */
function sit(
	db: Db,
	userId: number,
	attemptId: number,
	skill: number,
	at: number,
	random: () => number
): void {
	let t = at;
	for (const item of items(db, attemptId)) {
		t += (15 + random() * 30) * 1000;
		saveAnswer(
			db,
			userId,
			attemptId,
			item.position,
			{ response: responseFor(item.snapshot, random() < skill) },
			new Date(t)
		);
	}
	submitAttempt(db, userId, attemptId, new Date(t + 20_000));
}

/**
 * Module quizzes after finished modules and daily practice on study days for the
 * demo cadres, taken through the quiz engine at their historical times; a few
 * cadres of 离石区 keep missing the same questions in review (hard points).
 * Runs once: skipped when any attempt exists.
 */
export function seedQuizHistory(db: Db, now = new Date()): number {
	if (db.select({ id: attempts.id }).from(attempts).limit(1).get()) return 0;
	const random = rng(2022);
	const learners = db
		.select({ id: users.id, username: users.username, officeId: users.officeId })
		.from(users)
		.where(inArray(users.role, [...MEMBER_ROLES]))
		.orderBy(asc(users.id))
		.all();
	let count = 0;
	for (const learner of learners) {
		const skill = 0.55 + random() * 0.4;
		const done = db
			.select({
				moduleId: lessons.moduleId,
				day: lessonProgress.completedDay,
				at: lessonProgress.completedAt
			})
			.from(lessonProgress)
			.innerJoin(lessons, eq(lessons.id, lessonProgress.lessonId))
			.where(and(eq(lessonProgress.userId, learner.id), isNotNull(lessonProgress.completedAt)))
			.all();
		if (done.length === 0) continue;
		const totals = db
			.select({ moduleId: lessons.moduleId, n: sql<number>`count(*)` })
			.from(lessons)
			.innerJoin(modules, eq(modules.id, lessons.moduleId))
			.groupBy(lessons.moduleId)
			.all();
		for (const { moduleId, n } of totals) {
			const mine = done.filter((d) => d.moduleId === moduleId);
			if (mine.length < n) continue;
			let at = Math.max(...mine.map((d) => d.at!.getTime())) + (1 + random() * 20) * HOUR;
			// Most take a module quiz once; some come back to improve their score.
			for (let k = 0; k < (random() < 0.25 ? 2 : 1) && at < now.getTime() - HOUR; k++) {
				const start = startModuleAttempt(db, learner, moduleId, new Date(at));
				if (!start.ok) break;
				sit(db, learner.id, start.attemptId, skill + k * 0.1, at, random);
				count++;
				at += (2 + random() * 48) * HOUR;
			}
		}
		for (const day of new Set(done.map((d) => d.day!))) {
			if (random() < 0.7) continue;
			const at = shanghaiMidnight(day).getTime() + (20 + random() * 3) * HOUR;
			if (at > now.getTime() - HOUR) continue;
			const start = startDailyPractice(db, learner, new Date(at));
			if (!start.ok) continue;
			sit(db, learner.id, start.attemptId, skill, at, random);
			count++;
		}
	}
	seedHardPoints(db, now);
	return count;
}

/** Three 离石区 cadres keep getting their first wrong-book question wrong in review: hard points. */
function seedHardPoints(db: Db, now: Date): void {
	const strugglers = db
		.select({ userId: wrongBook.userId, questionId: wrongBook.questionId, due: wrongBook.due })
		.from(wrongBook)
		.innerJoin(users, eq(users.id, wrongBook.userId))
		.where(sql`${users.username} LIKE 'lishi.0%'`)
		.orderBy(asc(wrongBook.userId), asc(wrongBook.questionId))
		.all()
		.filter((e, i, all) => all.findIndex((x) => x.userId === e.userId) === i)
		.slice(0, 3);
	for (const s of strugglers) {
		const question = db.select().from(questions).where(eq(questions.id, s.questionId)).get()!;
		const wrong = responseFor(snapshotOf(question, false), false);
		let at = s.due.getTime();
		while (
			(getEntry(db, s.userId, s.questionId)?.wrongCount ?? 99) < HARD_AFTER_MISSES &&
			at < now.getTime() - 60_000
		) {
			const review = answerReview(db, s.userId, s.questionId, wrong, new Date(at));
			if (!review.ok) break;
			at = review.due.getTime() + 60_000;
		}
	}
}
