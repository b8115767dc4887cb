import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { Queryable } from '../db';
import { examAttempts, examCandidates, exams } from '../db/schema';
import { answerText, responseText, type QuestionSnapshot, type Response } from '../quiz/questions';
import type { EssayAnswer, ExamResultView, ExamReviewItem } from './types';
import { countedAttempt } from './counted';
import { gradingStatements } from './statements';

// A candidate's own results: before release only that they submitted (no score, no key); after
// release their scores, which attempt counts, and — if the exam allows review — the reviewed
// attempt with the key, explanations and the graders' comments (never their names).

/**
 * The candidate's results of an exam, with the review of `attemptId` (default: the attempt that
 * counts). Undefined when they are not a candidate, or `attemptId` is not one of their submitted attempts.
 */
export function examResult(
	db: Queryable,
	userId: number,
	examId: number,
	attemptId?: number
): ExamResultView | undefined {
	const exam = db.select().from(exams).where(eq(exams.id, examId)).get();
	if (!exam) return undefined;
	const candidate = db
		.select({ userId: examCandidates.userId })
		.from(examCandidates)
		.where(and(eq(examCandidates.examId, examId), eq(examCandidates.userId, userId)))
		.get();
	const attempts = db
		.select()
		.from(examAttempts)
		.where(
			and(
				eq(examAttempts.examId, examId),
				eq(examAttempts.userId, userId),
				isNotNull(examAttempts.submittedAt)
			)
		)
		.orderBy(asc(examAttempts.number))
		.all();
	if (!candidate && attempts.length === 0) return undefined;
	if (attemptId !== undefined && !attempts.some((a) => a.id === attemptId)) return undefined;
	const counted = countedAttempt(attempts, exam.counting);
	const reviewed = attemptId !== undefined ? attempts.find((a) => a.id === attemptId)! : counted;
	return {
		examId,
		title: exam.title,
		attempts: attempts.map((a) => {
			const released = a.releasedAt !== null;
			return {
				id: a.id,
				number: a.number,
				submittedAt: a.submittedAt!,
				score: released ? a.score : null,
				passed: released ? a.passed : null,
				counts: counted?.id === a.id,
				released
			};
		}),
		counted: counted ? { attemptId: counted.id, score: counted.score!, passed: !!counted.passed } : null,
		totalPoints: exam.totalPoints,
		passMark: exam.passMark,
		review: reviewed && reviewed.releasedAt !== null && exam.showReview ? reviewItems(db, reviewed.id) : null
	};
}

/** A released attempt's items with the key, explanation, source and (简答) rubric and comments. */
function reviewItems(db: Queryable, attemptId: number): ExamReviewItem[] {
	const st = gradingStatements(db);
	const items = st.reviewItems.all({ attemptId });
	const comments = new Map<number, string[]>();
	for (const g of st.comments.all({ attemptId })) {
		const list = comments.get(g.position) ?? [];
		list.push(g.comment);
		comments.set(g.position, list);
	}
	return items.map((item) => {
		const s = JSON.parse(item.snapshot) as QuestionSnapshot;
		const essay = s.type === 'essay';
		const response = item.response === null ? null : (JSON.parse(item.response) as Response);
		return {
			position: item.position,
			section: item.section,
			type: s.type,
			stem: s.stem,
			options: s.options,
			points: item.points,
			score: item.score ?? 0,
			correct: essay ? null : item.correct === true,
			responseText: responseText(s, response),
			answerText: answerText(s),
			explanation: s.explanation,
			sourceRef: item.sourceRef,
			rubric: essay ? (s.answer as EssayAnswer).rubric : null,
			comments: comments.get(item.position) ?? []
		};
	});
}
