import { randomInt } from 'node:crypto';
import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { bit, writeTransaction } from '../db/statements';
import { examAttemptItems, examAttempts, examCandidates, exams } from '../db/schema';
import type { Owner } from '../authoring/owner';
import { GRACE_MS } from '../quiz/attempts';
import {
	isCorrect,
	MAX_BLANK_LENGTH,
	publicQuestion,
	readResponse,
	type PublicQuestion,
	type QuestionSnapshot,
	type Response
} from '../quiz/questions';
import { countedAttempt } from './counted';
import { drawPaper, PaperDrawError } from './draw';
import { paperQuestionCount } from './paper';
import { examStatements, type AttemptAtPosition } from './statements';
import type {
	CandidateExam,
	CandidateState,
	ExamQuestionView,
	ExamSaveResult,
	ExamStartResult,
	ExamSubmitResult,
	PaperDoc,
	RunningExam
} from './types';

// Sitting an exam: start (the paper drawn for this candidate), save answers, submit. The
// deadline is decided here when the attempt starts; answers after it plus GRACE_MS are
// refused and the attempt closed with what was saved, like the module quiz.

export const NOT_A_CANDIDATE = '没有找到这场考试，或您不在考生名单中';
export const ATTEMPT_NOT_FOUND = '没有找到这次考试作答，或您无权查看';

export type ExamAttempt = typeof examAttempts.$inferSelect;
type ExamRow = typeof exams.$inferSelect;
type CandidateRow = typeof examCandidates.$inferSelect;

/** The owner of an exam's row (whose banks its rules draw from). */
export function ownerOfExam(row: { ownerSchoolId: number | null; ownerOfficeId: number | null }): Owner {
	return row.ownerSchoolId !== null
		? { kind: 'school', schoolId: row.ownerSchoolId }
		: { kind: 'office', officeId: row.ownerOfficeId! };
}

/** A candidate's window: their own 补考 window when they have one, else the exam's. */
export function candidateWindow(
	exam: { opensAt: Date; closesAt: Date },
	candidate: { opensAt: Date | null; closesAt: Date | null } | undefined
): { opensAt: Date; closesAt: Date } {
	return candidate?.opensAt && candidate.closesAt
		? { opensAt: candidate.opensAt, closesAt: candidate.closesAt }
		: { opensAt: exam.opensAt, closesAt: exam.closesAt };
}

/** A sitting's deadline: the duration from its start, but never after the candidate's window closes. */
export function attemptDeadline(startedAt: Date, durationMinutes: number, closesAt: Date): Date {
	return new Date(Math.min(startedAt.getTime() + durationMinutes * 60_000, closesAt.getTime()));
}

// ---------------------------------------------------------------- finalising

/**
 * Closes an open attempt and scores its objective items (full points if right, else none;
 * multiple choice only when exactly right). Without 简答 the attempt's result is final now;
 * with them it waits for grading. An auto-submitted attempt is closed at its deadline. Only
 * the transaction that closes the attempt scores it (double submission, two tabs).
 */
export function finaliseExamAttempt(
	tx: Queryable,
	attempt: { id: number; examId: number; deadline: Date },
	now: Date,
	auto: boolean
): boolean {
	const st = examStatements(tx);
	const submittedAt = auto ? new Date(Math.min(now.getTime(), attempt.deadline.getTime())) : now;
	if (st.closeAttempt.run(submittedAt.getTime(), bit(auto), attempt.id).changes === 0) return false;
	const right: number[] = [];
	const essays: number[] = [];
	let objective = 0;
	for (const item of st.itemsToScore.all({ attemptId: attempt.id })) {
		const snapshot = JSON.parse(item.snapshot) as QuestionSnapshot;
		if (snapshot.type === 'essay') {
			essays.push(item.position);
			continue;
		}
		const response = item.response === null ? null : (JSON.parse(item.response) as Response);
		if (isCorrect(snapshot, response)) {
			right.push(item.position);
			objective += item.points;
		}
	}
	st.scoreItems.run({ right: JSON.stringify(right), essays: JSON.stringify(essays), attemptId: attempt.id });
	const graded = essays.length === 0;
	const passMark = st.passMark.get({ examId: attempt.examId })?.passMark ?? Infinity;
	st.recordScore.run({
		objective,
		score: graded ? objective : null,
		passed: graded ? bit(objective >= passMark) : null,
		gradedAt: graded ? submittedAt.getTime() : null,
		id: attempt.id
	});
	return true;
}

const overdue = (attempt: { deadline: Date }, now: Date) =>
	now.getTime() > attempt.deadline.getTime() + GRACE_MS;

/** Closes every exam attempt whose time (plus grace) ran out: every 30 s (hooks.server.ts) and on access. */
export function finaliseOverdueExams(db: Db, now = new Date()): number {
	const late = db
		.select({ id: examAttempts.id, examId: examAttempts.examId, deadline: examAttempts.deadline })
		.from(examAttempts)
		.where(
			and(isNull(examAttempts.submittedAt), lt(examAttempts.deadline, new Date(now.getTime() - GRACE_MS)))
		)
		.all();
	let closed = 0;
	for (const a of late) if (writeTransaction(db, () => finaliseExamAttempt(db, a, now, true))) closed++;
	return closed;
}

/** This user's overdue attempts (of one exam, or all), closed before their exams are shown. */
function finaliseOwnOverdue(db: Db, userId: number, now: Date, examId?: number): void {
	const late = db
		.select({ id: examAttempts.id, examId: examAttempts.examId, deadline: examAttempts.deadline })
		.from(examAttempts)
		.where(
			and(
				eq(examAttempts.userId, userId),
				examId === undefined ? undefined : eq(examAttempts.examId, examId),
				isNull(examAttempts.submittedAt),
				lt(examAttempts.deadline, new Date(now.getTime() - GRACE_MS))
			)
		)
		.all();
	for (const a of late) writeTransaction(db, () => finaliseExamAttempt(db, a, now, true));
}

// ---------------------------------------------------------------- the candidate's exams

type AttemptSummary = Pick<
	ExamAttempt,
	'id' | 'number' | 'startedAt' | 'deadline' | 'submittedAt' | 'score' | 'passed' | 'gradedAt' | 'releasedAt'
>;

function candidateView(
	exam: ExamRow,
	candidate: CandidateRow,
	list: AttemptSummary[],
	now: Date
): CandidateExam {
	const { opensAt, closesAt } = candidateWindow(exam, candidate);
	const allowed = exam.attemptsAllowed + candidate.extraAttempts;
	const running = list.find((a) => !a.submittedAt && !overdue(a, now));
	const counted = countedAttempt(list, exam.counting);
	const submitted = list.filter((a) => a.submittedAt);
	const inWindow = now >= opensAt && now < closesAt;
	let state: CandidateState;
	if (running) state = 'running';
	else if (inWindow && candidate.active && list.length < allowed) state = 'open';
	else if (now < opensAt && candidate.active) state = 'upcoming';
	else if (submitted.some((a) => !a.releasedAt)) state = 'pending';
	else if (counted) state = 'released';
	else if (submitted.length === 0 && now >= closesAt) state = 'missed';
	else state = submitted.length === 0 && now < opensAt ? 'upcoming' : 'used';
	const doc = JSON.parse(exam.paperDoc) as PaperDoc;
	return {
		id: exam.id,
		title: exam.title,
		instructions: exam.instructions,
		state,
		opensAt,
		closesAt,
		durationMinutes: exam.durationMinutes,
		totalPoints: exam.totalPoints,
		passMark: exam.passMark,
		questionCount: paperQuestionCount(doc),
		attemptsAllowed: allowed,
		attemptsUsed: list.length,
		runningAttemptId: running?.id ?? null,
		result: counted ? { attemptId: counted.id, score: counted.score!, passed: !!counted.passed } : null,
		counting: exam.counting,
		showReview: exam.showReview
	};
}

function attemptSummaries(db: Queryable, userId: number, examIds: number[]): Map<number, AttemptSummary[]> {
	const out = new Map<number, AttemptSummary[]>();
	if (examIds.length === 0) return out;
	const rows = db
		.select({
			examId: examAttempts.examId,
			id: examAttempts.id,
			number: examAttempts.number,
			startedAt: examAttempts.startedAt,
			deadline: examAttempts.deadline,
			submittedAt: examAttempts.submittedAt,
			score: examAttempts.score,
			passed: examAttempts.passed,
			gradedAt: examAttempts.gradedAt,
			releasedAt: examAttempts.releasedAt
		})
		.from(examAttempts)
		.where(and(eq(examAttempts.userId, userId), inArray(examAttempts.examId, examIds)))
		.orderBy(asc(examAttempts.number))
		.all();
	for (const { examId, ...a } of rows) out.set(examId, [...(out.get(examId) ?? []), a]);
	return out;
}

/** A candidate sees an exam while on its list, or afterwards if they sat it; never a cancelled one. */
const visibleToCandidate = sql`(${examCandidates.active} = 1 OR EXISTS (SELECT 1 FROM exam_attempts a
	WHERE a.exam_id = ${examCandidates.examId} AND a.user_id = ${examCandidates.userId}))`;

const STATE_GROUP: Record<CandidateState, number> = {
	running: 0,
	open: 0,
	upcoming: 1,
	pending: 2,
	released: 2,
	missed: 2,
	used: 2
};

/** 我的考试: open and running first (closing soonest first), then upcoming (soonest first), then past (latest first). */
export function myExams(db: Db, userId: number, now = new Date()): CandidateExam[] {
	finaliseOwnOverdue(db, userId, now);
	const rows = db
		.select({ exam: exams, candidate: examCandidates })
		.from(examCandidates)
		.innerJoin(exams, eq(exams.id, examCandidates.examId))
		.where(and(eq(examCandidates.userId, userId), isNull(exams.cancelledAt), visibleToCandidate))
		.all();
	const attempts = attemptSummaries(
		db,
		userId,
		rows.map((r) => r.exam.id)
	);
	const views = rows.map((r) => candidateView(r.exam, r.candidate, attempts.get(r.exam.id) ?? [], now));
	return views.sort((a, b) => {
		const g = STATE_GROUP[a.state] - STATE_GROUP[b.state];
		if (g) return g;
		if (STATE_GROUP[a.state] === 0) return a.closesAt.getTime() - b.closesAt.getTime();
		if (STATE_GROUP[a.state] === 1) return a.opensAt.getTime() - b.opensAt.getTime();
		return b.closesAt.getTime() - a.closesAt.getTime() || b.id - a.id;
	});
}

/** One exam as its candidate sees it; undefined for anyone not on its list (or a cancelled exam). */
export function candidateExam(
	db: Db,
	userId: number,
	examId: number,
	now = new Date()
): CandidateExam | undefined {
	if (!Number.isInteger(examId) || examId <= 0) return undefined;
	finaliseOwnOverdue(db, userId, now, examId);
	const row = db
		.select({ exam: exams, candidate: examCandidates })
		.from(examCandidates)
		.innerJoin(exams, eq(exams.id, examCandidates.examId))
		.where(
			and(
				eq(examCandidates.userId, userId),
				eq(examCandidates.examId, examId),
				isNull(exams.cancelledAt),
				visibleToCandidate
			)
		)
		.get();
	if (!row) return undefined;
	return candidateView(
		row.exam,
		row.candidate,
		attemptSummaries(db, userId, [examId]).get(examId) ?? [],
		now
	);
}

// ---------------------------------------------------------------- starting

const CODE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 答卷编号: six letters and digits, unique within the exam, that say nothing about the candidate. */
function newCode(tx: Queryable, examId: number): string {
	for (;;) {
		const code = Array.from({ length: 6 }, () => CODE_LETTERS[randomInt(CODE_LETTERS.length)]).join('');
		const taken = tx
			.select({ id: examAttempts.id })
			.from(examAttempts)
			.where(and(eq(examAttempts.examId, examId), eq(examAttempts.code, code)))
			.get();
		if (!taken) return code;
	}
}

const timeLabel = (at: Date) => {
	const d = new Date(at.getTime() + 8 * 3_600_000);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};

/**
 * Starts a sitting, or resumes the one running. Allowed while the candidate's window is open,
 * attempts are left, the exam is not cancelled and they are on its list. Their paper is drawn
 * now; the deadline is fixed now: start + duration, or their window's close if earlier.
 */
export function startExam(db: Db, user: { id: number }, examId: number, now = new Date()): ExamStartResult {
	if (!Number.isInteger(examId) || examId <= 0) return { ok: false, message: NOT_A_CANDIDATE };
	return writeTransaction(db, (): ExamStartResult => {
		const exam = db.select().from(exams).where(eq(exams.id, examId)).get();
		const candidate = db
			.select()
			.from(examCandidates)
			.where(and(eq(examCandidates.examId, examId), eq(examCandidates.userId, user.id)))
			.get();
		if (!exam || !candidate) return { ok: false, message: NOT_A_CANDIDATE };
		if (exam.cancelledAt) return { ok: false, message: '这场考试已取消' };
		const mine = db
			.select()
			.from(examAttempts)
			.where(and(eq(examAttempts.examId, examId), eq(examAttempts.userId, user.id)))
			.orderBy(asc(examAttempts.number))
			.all();
		for (const a of mine) {
			if (a.submittedAt) continue;
			if (!overdue(a, now)) return { ok: true, attemptId: a.id, resumed: true };
			finaliseExamAttempt(db, a, now, true);
		}
		if (!candidate.active) return { ok: false, message: '您已不在这场考试的考生名单中' };
		const { opensAt, closesAt } = candidateWindow(exam, candidate);
		if (now < opensAt) return { ok: false, message: `考试尚未开始，开考时间为 ${timeLabel(opensAt)}` };
		if (now >= closesAt) return { ok: false, message: '考试已经结束' };
		const allowed = exam.attemptsAllowed + candidate.extraAttempts;
		if (mine.length >= allowed)
			return { ok: false, message: `这场考试最多可作答 ${allowed} 次，您的次数已用完` };
		let drawn;
		try {
			drawn = drawPaper(db, ownerOfExam(exam), JSON.parse(exam.paperDoc) as PaperDoc);
		} catch (e) {
			if (e instanceof PaperDrawError)
				return { ok: false, message: '试卷所用的题库有变化，暂时无法开考，请联系考试组织者' };
			throw e;
		}
		const attempt = db
			.insert(examAttempts)
			.values({
				examId,
				userId: user.id,
				number: (mine.at(-1)?.number ?? 0) + 1,
				code: newCode(db, examId),
				startedAt: now,
				deadline: attemptDeadline(now, exam.durationMinutes, closesAt)
			})
			.returning({ id: examAttempts.id })
			.get();
		drawn.forEach((d, i) =>
			db
				.insert(examAttemptItems)
				.values({
					attemptId: attempt.id,
					position: i + 1,
					section: d.section,
					questionId: d.questionId,
					points: d.points,
					snapshot: JSON.stringify(d.snapshot)
				})
				.run()
		);
		return { ok: true, attemptId: attempt.id, resumed: false };
	});
}

// ---------------------------------------------------------------- running

/** The attempt, only if it belongs to this user (anyone else's is as missing as none). */
export function ownExamAttempt(db: Queryable, userId: number, attemptId: number): ExamAttempt | undefined {
	if (!Number.isInteger(attemptId) || attemptId <= 0) return undefined;
	return examStatements(db).ownAttempt.get({ attemptId, userId });
}

/** The question at one position of this user's attempt, as the browser may see it (to read a form against). */
export function examQuestionAt(
	db: Queryable,
	userId: number,
	attemptId: number,
	position: number
): PublicQuestion | undefined {
	const row = examStatements(db).snapshotAt.get({ attemptId, position, userId });
	return row && publicQuestion(JSON.parse(row.snapshot) as QuestionSnapshot);
}

/**
 * A running attempt as the taking page shows it: no keys, reference answers or rubrics.
 * Undefined when it is not this user's, already submitted, or its time ran out (then it is
 * closed now): the route looks at ownExamAttempt to decide where to send them.
 */
export function runningExam(
	db: Db,
	userId: number,
	attemptId: number,
	now = new Date()
): RunningExam | undefined {
	const attempt = ownExamAttempt(db, userId, attemptId);
	if (!attempt || attempt.submittedAt) return undefined;
	if (overdue(attempt, now)) {
		writeTransaction(db, () => finaliseExamAttempt(db, attempt, now, true));
		return undefined;
	}
	const exam = db
		.select({ title: exams.title, paperDoc: exams.paperDoc })
		.from(exams)
		.where(eq(exams.id, attempt.examId))
		.get()!;
	const doc = JSON.parse(exam.paperDoc) as PaperDoc;
	const items: ExamQuestionView[] = db
		.select()
		.from(examAttemptItems)
		.where(eq(examAttemptItems.attemptId, attempt.id))
		.orderBy(asc(examAttemptItems.position))
		.all()
		.map((i) => {
			const q = publicQuestion(JSON.parse(i.snapshot) as QuestionSnapshot);
			return {
				position: i.position,
				section: i.section,
				points: i.points,
				type: q.type,
				stem: q.stem,
				options: q.options,
				blanks: q.blanks,
				maxLength: q.maxLength,
				response: i.response === null ? null : (JSON.parse(i.response) as unknown),
				flagged: i.flagged
			};
		});
	return {
		attemptId: attempt.id,
		examId: attempt.examId,
		title: exam.title,
		deadline: attempt.deadline,
		sections: doc.sections.map((s) => ({ title: s.title, instructions: s.instructions })),
		items
	};
}

/** Reads one answer from the taking page's form (`choice`, `tf`, `blank`, `essay`), as the quiz does. */
export function readExamResponse(
	question: PublicQuestion,
	form: FormData
): { response: Response | null } | { error: string } {
	return readResponse(question, form);
}

/**
 * Whether a value can be the answer to this question, as readResponse would have read it
 * (the save itself checks again: a response not read from a form is refused, not stored).
 */
export function checkResponse(
	q: PublicQuestion,
	value: unknown
): { response: Response | null } | { error: string } {
	if (value === null) return { response: null };
	const index = (v: unknown) =>
		typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < q.options.length;
	switch (q.type) {
		case 'single':
			return index(value) ? { response: value as number } : { error: '请选择一个选项' };
		case 'multiple': {
			if (!Array.isArray(value) || !value.every(index)) return { error: '选项无效' };
			const list = [...new Set(value as number[])].sort((a, b) => a - b);
			return list.length ? { response: list } : { response: null };
		}
		case 'truefalse':
			return typeof value === 'boolean' ? { response: value } : { error: '请选择“正确”或“错误”' };
		case 'fill':
			if (!Array.isArray(value) || value.length !== q.blanks || !value.every((v) => typeof v === 'string'))
				return { error: '填空数量不对' };
			if ((value as string[]).some((b) => b.length > MAX_BLANK_LENGTH))
				return { error: `每空不能超过 ${MAX_BLANK_LENGTH} 个字` };
			return (value as string[]).every((b) => b.trim() === '')
				? { response: null }
				: { response: value as string[] };
		case 'essay': {
			if (typeof value !== 'string') return { error: '答案无效' };
			const text = value.replace(/\r\n?/g, '\n').trim();
			const max = q.maxLength ?? 0;
			if (text.length > max) return { error: `答案不能超过 ${max} 个字，您写了 ${text.length} 个字` };
			return { response: text === '' ? null : text };
		}
	}
}

/**
 * Saves one answer (and/or the flag) of a running attempt: one lookup of the user's own attempt
 * with that question, one write. After the deadline plus grace the save is refused and the
 * attempt closed with what was saved before.
 */
export function saveExamAnswer(
	db: Db,
	userId: number,
	attemptId: number,
	position: number,
	change: { response?: unknown; flagged?: boolean },
	now = new Date()
): ExamSaveResult {
	return writeTransaction(db, (): ExamSaveResult => {
		const st = examStatements(db);
		const attempt: AttemptAtPosition | undefined = st.ownAttemptAt.get({ attemptId, userId, position });
		if (!attempt) return { ok: false, reason: 'missing', message: ATTEMPT_NOT_FOUND };
		if (attempt.submittedAt)
			return { ok: false, reason: 'closed', message: '本场考试已交卷，答案不能再修改' };
		if (overdue(attempt, now)) {
			finaliseExamAttempt(db, attempt, now, true);
			return { ok: false, reason: 'late', message: '考试时间已到，系统已按截止前保存的答案自动交卷' };
		}
		if (attempt.snapshot === null) return { ok: false, reason: 'missing', message: '没有找到这道题' };
		let response: Response | null = null;
		if (change.response !== undefined) {
			const checked = checkResponse(
				publicQuestion(JSON.parse(attempt.snapshot) as QuestionSnapshot),
				change.response
			);
			if ('error' in checked) return { ok: false, reason: 'invalid', message: checked.error };
			response = checked.response;
		}
		if (change.response === undefined && change.flagged === undefined) return { ok: true };
		st.saveItem.run({
			attemptId,
			position,
			answer: bit(change.response !== undefined),
			response: response === null ? null : JSON.stringify(response),
			now: now.getTime(),
			flag: bit(change.flagged !== undefined),
			flagged: bit(change.flagged ?? false)
		});
		return { ok: true };
	});
}

/**
 * Submits a sitting. Twice, or from two tabs at once, gives one result: only the transaction
 * that closes the attempt scores it. A submission at or after the deadline (the page's
 * countdown sends one at zero) is the system closing it because time ran out.
 */
export function submitExam(db: Db, userId: number, attemptId: number, now = new Date()): ExamSubmitResult {
	return writeTransaction(db, (): ExamSubmitResult => {
		const attempt = ownExamAttempt(db, userId, attemptId);
		if (!attempt) return { ok: false, message: ATTEMPT_NOT_FOUND };
		const base = { attemptId, examId: attempt.examId };
		if (attempt.submittedAt) return { ok: true, ...base, late: false, already: true };
		const late = overdue(attempt, now);
		const timeUp = now.getTime() >= attempt.deadline.getTime();
		const closed = finaliseExamAttempt(db, attempt, now, timeUp);
		return { ok: true, ...base, late, already: !closed };
	});
}

/** The page was left (hidden) while the attempt runs: counted for the admin, never punished. */
export function recordLeave(db: Db, userId: number, attemptId: number, now = new Date()): boolean {
	if (!Number.isInteger(attemptId) || attemptId <= 0) return false;
	return (
		examStatements(db).recordLeave.run({ attemptId, userId, cutoff: now.getTime() - GRACE_MS }).changes > 0
	);
}

/** Exams whose attempts are still running (cancelExam closes them). */
export function runningAttemptsOf(db: Queryable, examId: number) {
	return db
		.select({ id: examAttempts.id, examId: examAttempts.examId, deadline: examAttempts.deadline })
		.from(examAttempts)
		.where(and(eq(examAttempts.examId, examId), isNull(examAttempts.submittedAt)))
		.all();
}
