import { and, asc, eq } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { examGrades, examGraders, exams, users } from '../db/schema';
import { recordAudit, type AuditActor } from '../audit';
import { byPinyin } from '../users/name-key';
import type { QuestionSnapshot } from '../quiz/questions';
import type { EssayAnswer, FieldErrors, GradeResult, GradingProgress, GradingTask } from './types';
import { auditScope, titled, toHalf, type ExamRow } from './owned';
import { gradingStatements } from './statements';
import { bit } from '../db/statements';

// 阅卷: the 简答 answers of submitted attempts, graded by the exam's graders without the
// candidates' names (graders see the 答卷编号). Round 1 for every answer; with second grading a
// round 2 by another grader; when the two differ by more than the exam's margin a round 3 by a
// grader who did neither, which then decides. The unique keys of exam_grades (one grade per
// answer and round, one per answer and grader) keep two graders from scoring the same round.

export const GRADE_TAKEN = '这份答案已由其他阅卷人评分，请评下一份';
export const GRADED_BY_YOU = '您已评过这份答案，请评下一份';
export const NOT_A_GRADER = '您不是这场考试的阅卷人';
export const ANSWER_NOT_FOUND = '没有找到这份答案';
export const MAX_COMMENT_LENGTH = 500;

interface Grade {
	round: number;
	graderId: number;
	score: number;
	comment: string;
}

/** One 简答 answer of a submitted attempt, with the grades it has. */
interface EssayItem {
	attemptId: number;
	position: number;
	questionId: number;
	code: string;
	points: number;
	/** The final score, once grading of this answer is complete. */
	score: number | null;
	grades: Grade[];
}

type GradingRules = Pick<ExamRow, 'secondGrading' | 'gradingMargin'>;

interface RoundState {
	/** Grades this answer needs in all (rounds so far decide whether a third is needed). */
	needed: number;
	/** The final score, when the grades given settle it. */
	final: number | null;
	/** The round still to grade, and the graders who may not grade it (they did an earlier one). */
	next: { round: number; excluded: number[] } | null;
	/** Waiting for a third grader. */
	third: boolean;
}

/** Where an answer's grading stands: what its grades settle and which round comes next. */
export function roundState(grades: readonly Grade[], rules: GradingRules): RoundState {
	const r = (n: number) => grades.find((g) => g.round === n);
	const [r1, r2, r3] = [r(1), r(2), r(3)];
	if (!r1)
		return {
			needed: rules.secondGrading ? 2 : 1,
			final: null,
			next: { round: 1, excluded: [] },
			third: false
		};
	if (!rules.secondGrading) return { needed: 1, final: r1.score, next: null, third: false };
	if (!r2) return { needed: 2, final: null, next: { round: 2, excluded: [r1.graderId] }, third: false };
	if (Math.abs(r1.score - r2.score) <= rules.gradingMargin)
		return { needed: 2, final: toHalf((r1.score + r2.score) / 2), next: null, third: false };
	if (r3) return { needed: 3, final: r3.score, next: null, third: false };
	return { needed: 3, final: null, next: { round: 3, excluded: [r1.graderId, r2.graderId] }, third: true };
}

/** The round this grader may do on an answer now, or null. */
function roundFor(state: RoundState, graderId: number): number | null {
	return state.next && !state.next.excluded.includes(graderId) ? state.next.round : null;
}

const key = (attemptId: number, position: number) => `${attemptId}:${position}`;

/** Every 简答 answer of the exam's submitted attempts (only those not yet settled, if `pendingOnly`), with its grades. */
function essayItems(db: Queryable, examId: number, pendingOnly: boolean): EssayItem[] {
	const st = gradingStatements(db);
	const params = { examId, pending: bit(pendingOnly) };
	const grades = new Map<string, Grade[]>();
	for (const g of st.examGrades.all(params)) {
		const k = key(g.attemptId, g.position);
		const list = grades.get(k) ?? [];
		list.push({ round: g.round, graderId: g.graderId, score: g.score, comment: g.comment });
		grades.set(k, list);
	}
	return st.essayItems
		.all(params)
		.map((r) => ({ ...r, grades: grades.get(key(r.attemptId, r.position)) ?? [] }));
}

function examById(db: Queryable, examId: number): ExamRow | undefined {
	return db.select().from(exams).where(eq(exams.id, examId)).get();
}

/** Whether the user is one of the exam's graders (the grading page's check). */
export function isGrader(db: Queryable, userId: number, examId: number): boolean {
	return !!db
		.select({ u: examGraders.userId })
		.from(examGraders)
		.where(and(eq(examGraders.examId, examId), eq(examGraders.userId, userId)))
		.get();
}

/** The next answer this grader may grade (null when none is left for them) and the exam's progress. */
export function gradingQueue(
	db: Queryable,
	graderId: number,
	examId: number
): { next: GradingTask | null; progress: GradingProgress } {
	const exam = examById(db, examId);
	const items = exam ? essayItems(db, examId, false) : [];
	const progress = progressOf(db, examId, exam, items);
	if (!exam || exam.cancelledAt || !isGrader(db, graderId, examId)) return { next: null, progress };
	for (const item of items) {
		if (item.score !== null) continue;
		const round = roundFor(roundState(item.grades, exam), graderId);
		if (round !== null) return { next: taskOf(db, item, round)!, progress };
	}
	return { next: null, progress };
}

/** How many answers this grader may grade now. */
function queueLength(exam: ExamRow, items: EssayItem[], graderId: number): number {
	return items.filter(
		(item) => item.score === null && roundFor(roundState(item.grades, exam), graderId) !== null
	).length;
}

function taskOf(db: Queryable, item: EssayItem, round: number): GradingTask | undefined {
	const row = gradingStatements(db).itemAt.get({ attemptId: item.attemptId, position: item.position });
	if (!row) return undefined;
	const snapshot = JSON.parse(row.snapshot) as QuestionSnapshot;
	const key = snapshot.answer as EssayAnswer;
	const answer = row.response === null ? '' : (JSON.parse(row.response) as unknown);
	return {
		attemptId: item.attemptId,
		position: item.position,
		code: item.code,
		round,
		stem: snapshot.stem,
		points: item.points,
		reference: key.reference,
		rubric: key.rubric,
		answer: typeof answer === 'string' ? answer : '',
		// The decider sees the two earlier grades (never who gave them); a second grader sees none.
		earlier:
			round === 3
				? item.grades
						.filter((g) => g.round < 3)
						.sort((a, b) => a.round - b.round)
						.map((g) => ({ round: g.round, score: g.score, comment: g.comment }))
				: []
	};
}

/** One answer for this grader, if they may grade it now (in the round they would grade). */
export function gradingTask(
	db: Queryable,
	graderId: number,
	examId: number,
	attemptId: number,
	position: number
): GradingTask | undefined {
	const exam = examById(db, examId);
	if (!exam || exam.cancelledAt || !isGrader(db, graderId, examId)) return undefined;
	const item = essayItems(db, examId, true).find((i) => i.attemptId === attemptId && i.position === position);
	if (!item) return undefined;
	const round = roundFor(roundState(item.grades, exam), graderId);
	return round === null ? undefined : taskOf(db, item, round);
}

/** The marks per scoring point: each 0..its points in half-point steps; the comment at most 500 characters. */
export function checkMarks(
	rubric: EssayAnswer['rubric'],
	input: { scores: readonly number[]; comment: string }
): FieldErrors {
	const errors: FieldErrors = {};
	if (input.scores.length > rubric.length) errors._form = '评分项与采分点数量不符，请刷新后重新评分';
	rubric.forEach((point, i) => {
		const v = input.scores[i];
		const n = i + 1;
		if (v === undefined || !Number.isFinite(v)) errors[`scores.${i}`] = `请为第${n}个采分点打分`;
		else if (v > point.points) errors[`scores.${i}`] = `第${n}个采分点最多 ${point.points} 分`;
		else if (v < 0 || !Number.isInteger(v * 2))
			errors[`scores.${i}`] = `第${n}个采分点的得分须为 0–${point.points} 之间 0.5 的倍数`;
	});
	if (input.comment.trim().length > MAX_COMMENT_LENGTH)
		errors.comment = `评语不能超过 ${MAX_COMMENT_LENGTH} 个字`;
	return errors;
}

/** An item's score from the marks: the share of the rubric earned times the item's points, in half points. */
export function essayScore(rubric: EssayAnswer['rubric'], marks: readonly number[], points: number): number {
	const total = rubric.reduce((sum, p) => sum + p.points, 0);
	const earned = marks.reduce((sum, m) => sum + m, 0);
	return total > 0 ? toHalf((earned / total) * points) : 0;
}

const isUniqueViolation = (e: unknown) =>
	typeof e === 'object' &&
	e !== null &&
	String((e as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT');

/**
 * One grade of one 简答 answer by the acting grader, in the round they may do now (`round`, when
 * given, is the round their page showed: a different one now means someone else got there
 * first). When the grades settle the answer, its score is written, and when that was the
 * attempt's last unsettled answer, the attempt's score, pass and graded time: all in one
 * transaction with the audit row.
 */
export function gradeAnswer(
	db: Db,
	actor: AuditActor,
	examId: number,
	attemptId: number,
	position: number,
	input: { scores: number[]; comment: string; round?: number },
	now = new Date()
): GradeResult {
	return db.transaction((tx): GradeResult => {
		const exam = examById(tx, examId);
		if (!exam || exam.cancelledAt) return { ok: false, errors: { _form: '没有找到这场考试' } };
		if (!isGrader(tx, actor.id, examId)) return { ok: false, errors: { _form: NOT_A_GRADER } };
		const row = gradingStatements(tx).submittedItem.get({ attemptId, position, examId });
		const snapshot = row ? (JSON.parse(row.snapshot) as QuestionSnapshot) : null;
		if (!row || snapshot?.type !== 'essay') return { ok: false, errors: { _form: ANSWER_NOT_FOUND } };
		const grades = tx
			.select({
				round: examGrades.round,
				graderId: examGrades.graderId,
				score: examGrades.score,
				comment: examGrades.comment
			})
			.from(examGrades)
			.where(and(eq(examGrades.attemptId, attemptId), eq(examGrades.position, position)))
			.all();
		const state = roundState(grades, exam);
		const round = roundFor(state, actor.id);
		if (row.score !== null || round === null || (input.round !== undefined && input.round !== round)) {
			const mine = grades.some((g) => g.graderId === actor.id);
			return { ok: false, errors: { _form: mine ? GRADED_BY_YOU : GRADE_TAKEN } };
		}
		const key = snapshot.answer as EssayAnswer;
		const errors = checkMarks(key.rubric, input);
		if (Object.keys(errors).length > 0) return { ok: false, errors };
		const marks = key.rubric.map((_, i) => input.scores[i]!);
		const score = essayScore(key.rubric, marks, row.points);
		const comment = input.comment.trim();
		try {
			tx.insert(examGrades)
				.values({
					attemptId,
					position,
					round,
					graderId: actor.id,
					scores: JSON.stringify(marks),
					score,
					comment,
					gradedAt: now
				})
				.run();
		} catch (e) {
			// Another grader's transaction wrote this round first (another process): nothing was written here.
			if (isUniqueViolation(e)) return { ok: false, errors: { _form: GRADE_TAKEN } };
			throw e;
		}
		recordAudit(tx, actor, {
			action: 'exam.grade',
			...auditScope(exam),
			target: { type: 'exam', id: examId },
			summary: `评阅考试${titled(exam.title)}答卷 ${row.code} 第 ${position} 题（第 ${round} 轮）：${score} 分`,
			detail: { attemptId, position, round, scores: marks, score },
			at: now
		});
		const settled = roundState([...grades, { round, graderId: actor.id, score, comment }], exam);
		if (settled.final !== null) settleAnswer(tx, exam, attemptId, position, settled.final, now);
		return { ok: true };
	});
}

/**
 * Writes an answer's final score; when the attempt has no unscored item left, its score (the
 * sum of its items), pass and graded time. Returns whether the attempt is now graded.
 */
function settleAnswer(
	tx: Queryable,
	exam: ExamRow,
	attemptId: number,
	position: number,
	score: number,
	now: Date
) {
	const st = gradingStatements(tx);
	st.scoreItem.run({ score, attemptId, position });
	const sums = st.attemptSums.get({ attemptId })!;
	if (sums.open > 0) return false;
	st.gradeAttempt.run({
		score: sums.total,
		passed: bit(sums.total >= exam.passMark),
		gradedAt: now.getTime(),
		id: attemptId
	});
	return true;
}

function progressOf(
	db: Queryable,
	examId: number,
	exam: ExamRow | undefined,
	items: EssayItem[]
): GradingProgress {
	let needed = 0;
	let given = 0;
	let thirdRound = 0;
	const byGrader = new Map<number, number>();
	for (const item of items) {
		const state = exam ? roundState(item.grades, exam) : null;
		needed += state?.needed ?? 1;
		given += item.grades.length;
		if (state?.third) thirdRound++;
		for (const g of item.grades) byGrader.set(g.graderId, (byGrader.get(g.graderId) ?? 0) + 1);
	}
	const graders = db
		.select({ id: users.id, name: users.name })
		.from(examGraders)
		.innerJoin(users, eq(users.id, examGraders.userId))
		.where(eq(examGraders.examId, examId))
		.orderBy(asc(users.id))
		.all();
	const people = new Map(graders.map((g) => [g.id, g.name]));
	// Someone no longer named as a grader keeps the grades they gave.
	const missing = [...byGrader.keys()].filter((id) => !people.has(id));
	for (const id of missing)
		people.set(id, db.select({ name: users.name }).from(users).where(eq(users.id, id)).get()?.name ?? '');
	return {
		answers: items.length,
		needed,
		given,
		thirdRound,
		byGrader: [...people]
			.map(([userId, name]) => ({ userId, name, given: byGrader.get(userId) ?? 0 }))
			.sort((a, b) => byPinyin(a.name, b.name)),
		complete: items.every((i) => i.score !== null)
	};
}

/** Grading of an exam: answers, grades needed and given, answers waiting for a third grader, per grader. */
export function gradingProgress(db: Queryable, examId: number): GradingProgress {
	return progressOf(db, examId, examById(db, examId), essayItems(db, examId, false));
}

/** 简答 answers of an exam's submitted attempts not yet settled (what keeps results from being released). */
export function ungradedAnswers(db: Queryable, examId: number): number {
	return gradingStatements(db).ungradedAnswers.get({ examId }) ?? 0;
}

/** The exams this user grades (not cancelled), with how many answers they may grade now; finished ones drop off once released. */
export function gradableExams(
	db: Queryable,
	graderId: number
): { id: number; title: string; toGrade: number }[] {
	const mine = db
		.select({ exam: exams })
		.from(examGraders)
		.innerJoin(exams, eq(exams.id, examGraders.examId))
		.where(eq(examGraders.userId, graderId))
		.orderBy(asc(exams.closesAt), asc(exams.id))
		.all()
		.map((r) => r.exam)
		.filter((e) => !e.cancelledAt);
	return mine
		.map((exam) => ({
			id: exam.id,
			title: exam.title,
			toGrade: queueLength(exam, essayItems(db, exam.id, true), graderId),
			released: exam.releasedAt !== null
		}))
		.filter((e) => e.toGrade > 0 || !e.released)
		.map(({ id, title, toGrade }) => ({ id, title, toGrade }));
}
