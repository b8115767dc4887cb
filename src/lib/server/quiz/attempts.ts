import { and, asc, count, desc, eq, inArray, isNotNull, isNull, lt } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { bit, writeTransaction } from '../db/statements';
import {
	OBJECTIVE_TYPES,
	attemptItems,
	attempts,
	lessonProgress,
	lessons,
	modules,
	questions
} from '../db/schema';
import { award } from '../points/ledger';
import { checkCourseCompletion } from '../courses/progress';
import { canSeeModule, visibleModule } from '../learning/audience';
import { creditModuleHours } from '../learning/module-hours';
import { userOffice } from '../org/offices';
import { shanghaiDay } from '../time';
import {
	isCorrect,
	publicQuestion,
	shuffle,
	snapshotOf,
	type PublicQuestion,
	type QuestionSnapshot,
	type Response
} from './questions';
import { getQuizSettings } from './settings';
import { quizStatements } from './statements';
import { recordWrong } from './wrongbook';

/** Late answers and submissions are accepted this long after the deadline (network, locked phones). */
export const GRACE_MS = 60_000;
/** Faster than this per question is implausible: flagged for the office admin. */
export const FAST_MS_PER_QUESTION = 2_000;
export const DAILY_QUESTIONS = 5;
export const DAILY_TIME_LIMIT_MINUTES = 10;
const DAILY_PASS_MARK = 60;

export type Attempt = typeof attempts.$inferSelect;
type User = { id: number; officeId: number | null };

export type StartResult = { ok: true; attemptId: number; resumed: boolean } | { ok: false; message: string };

function insertAttempt(
	tx: Queryable,
	values: typeof attempts.$inferInsert,
	snapshots: { questionId: number; snapshot: QuestionSnapshot }[]
): number {
	const attempt = tx.insert(attempts).values(values).returning({ id: attempts.id }).get();
	snapshots.forEach((s, i) => {
		tx.insert(attemptItems)
			.values({
				attemptId: attempt.id,
				position: i + 1,
				questionId: s.questionId,
				snapshot: JSON.stringify(s.snapshot)
			})
			.run();
	});
	return attempt.id;
}

/** The live questions a quiz may draw: objective ones only (简答 are for exams, graded by hand). */
function bank(tx: Queryable, moduleIds: number[]) {
	return tx
		.select()
		.from(questions)
		.where(
			and(
				inArray(questions.moduleId, moduleIds),
				isNull(questions.archivedAt),
				inArray(questions.type, [...OBJECTIVE_TYPES])
			)
		)
		.orderBy(asc(questions.id))
		.all();
}

/** An open attempt of this user for this module (finalising it first if its time is up). */
function openAttempt(
	tx: Queryable,
	userId: number,
	where: ReturnType<typeof and>,
	now: Date
): Attempt | undefined {
	const open = tx
		.select()
		.from(attempts)
		.where(and(eq(attempts.userId, userId), isNull(attempts.submittedAt), where))
		.get();
	if (open && now.getTime() > open.deadline.getTime() + GRACE_MS) {
		finalise(tx, open, now, true);
		return undefined;
	}
	return open;
}

/**
 * Starts a module quiz, or resumes the one already running. The questions are
 * drawn, ordered and snapshotted now; the deadline is fixed now. Only a module
 * the user may study (learning/audience.ts): any other is as missing as an archived one.
 */
export function startModuleAttempt(db: Db, user: User, moduleId: number, now = new Date()): StartResult {
	if (!canSeeModule(db, user, moduleId)) return { ok: false, message: '没有找到这个模块的测验，或它已下线' };
	const settings = getQuizSettings(db, moduleId);
	if (!settings) return { ok: false, message: '没有找到这个模块的测验，或它已下线' };
	return db.transaction((tx): StartResult => {
		const open = openAttempt(
			tx,
			user.id,
			and(eq(attempts.kind, 'module'), eq(attempts.moduleId, moduleId)),
			now
		);
		if (open) return { ok: true, attemptId: open.id, resumed: true };
		const used = attemptsUsed(tx, user.id, moduleId);
		if (settings.attemptsAllowed > 0 && used >= settings.attemptsAllowed) {
			return { ok: false, message: `本测验最多可作答 ${settings.attemptsAllowed} 次，您的次数已用完` };
		}
		const pool = bank(tx, [moduleId]);
		if (pool.length === 0) return { ok: false, message: '本模块的题库暂时为空' };
		let drawn = shuffle(pool).slice(0, Math.min(settings.draw, pool.length));
		if (!settings.shuffleQuestions) drawn = drawn.sort((a, b) => a.id - b.id);
		const snapshots = drawn.map((q) => ({
			questionId: q.id,
			snapshot: snapshotOf(q, settings.shuffleOptions)
		}));
		const attemptId = insertAttempt(
			tx,
			{
				userId: user.id,
				kind: 'module',
				moduleId,
				day: shanghaiDay(now),
				startedAt: now,
				deadline: new Date(now.getTime() + settings.timeLimitMinutes * 60_000),
				passMark: settings.passMark,
				showAnswers: settings.showAnswers,
				total: snapshots.length
			},
			snapshots
		);
		return { ok: true, attemptId, resumed: false };
	});
}

export function attemptsUsed(db: Queryable, userId: number, moduleId: number): number {
	return (
		db
			.select({ n: count() })
			.from(attempts)
			.where(and(eq(attempts.userId, userId), eq(attempts.kind, 'module'), eq(attempts.moduleId, moduleId)))
			.get()?.n ?? 0
	);
}

/** Modules the user has started reading; the daily practice draws from these (or all they may study, if none). */
function startedModuleIds(db: Queryable, userId: number): number[] {
	return db
		.selectDistinct({ id: lessons.moduleId })
		.from(lessonProgress)
		.innerJoin(lessons, eq(lessons.id, lessonProgress.lessonId))
		.where(eq(lessonProgress.userId, userId))
		.all()
		.map((r) => r.id);
}

/** Today's daily practice (每日一练): one per Shanghai day, five questions. */
export function startDailyPractice(db: Db, user: User, now = new Date()): StartResult {
	const day = shanghaiDay(now);
	return db.transaction((tx): StartResult => {
		const today = tx
			.select()
			.from(attempts)
			.where(and(eq(attempts.userId, user.id), eq(attempts.kind, 'daily'), eq(attempts.day, day)))
			.get();
		if (today) {
			if (!today.submittedAt && now.getTime() > today.deadline.getTime() + GRACE_MS)
				finalise(tx, today, now, true);
			return { ok: true, attemptId: today.id, resumed: true };
		}
		// Only modules the user may study now (learning/audience.ts), even if they read others before.
		const live = tx
			.select({ id: modules.id })
			.from(modules)
			.where(visibleModule(tx, user))
			.all()
			.map((m) => m.id);
		const started = startedModuleIds(tx, user.id).filter((id) => live.includes(id));
		const pool = bank(tx, started.length ? started : live);
		if (pool.length === 0) return { ok: false, message: '题库暂时为空' };
		const snapshots = shuffle(pool)
			.slice(0, DAILY_QUESTIONS)
			.map((q) => ({ questionId: q.id, snapshot: snapshotOf(q, true) }));
		const attemptId = insertAttempt(
			tx,
			{
				userId: user.id,
				kind: 'daily',
				day,
				startedAt: now,
				deadline: new Date(now.getTime() + DAILY_TIME_LIMIT_MINUTES * 60_000),
				passMark: DAILY_PASS_MARK,
				showAnswers: true,
				total: snapshots.length
			},
			snapshots
		);
		return { ok: true, attemptId, resumed: false };
	});
}

/** The attempt, only if it belongs to this user (anyone else gets nothing, not even a 403 hint). */
export function ownAttempt(db: Db, userId: number, attemptId: number): Attempt | undefined {
	// Answer-saves and submissions ask first: a statement prepared once (quiz/statements.ts).
	return quizStatements(db).ownAttempt.get({ attemptId, userId });
}

/**
 * The question at one position of this user's attempt, as the browser may see it, and
 * the attempt's length: all that saving one answer needs. Nothing for anyone else's attempt.
 */
export function questionAt(
	db: Db,
	userId: number,
	attemptId: number,
	position: number
): { question: PublicQuestion; total: number } | undefined {
	const row = quizStatements(db).snapshotAt.get({ attemptId, position, userId });
	return row && { question: publicQuestion(JSON.parse(row.snapshot) as QuestionSnapshot), total: row.total };
}

export function items(db: Queryable, attemptId: number) {
	return db
		.select()
		.from(attemptItems)
		.where(eq(attemptItems.attemptId, attemptId))
		.orderBy(asc(attemptItems.position))
		.all()
		.map((i) => ({
			position: i.position,
			questionId: i.questionId,
			snapshot: JSON.parse(i.snapshot) as QuestionSnapshot,
			response: i.response === null ? null : (JSON.parse(i.response) as Response),
			flagged: i.flagged,
			correct: i.correct
		}));
}

/** What a running attempt may show: questions without answers or explanations. */
export function runningView(db: Queryable, attempt: Attempt) {
	return items(db, attempt.id).map((i) => ({
		position: i.position,
		question: publicQuestion(i.snapshot),
		response: i.response,
		flagged: i.flagged
	}));
}

export type SaveResult = { ok: true } | { ok: false; reason: 'missing' | 'closed' | 'late'; message: string };

/** Saves one answer (and the flag) as it is given; refused once the attempt is over. */
export function saveAnswer(
	db: Db,
	userId: number,
	attemptId: number,
	position: number,
	change: { response?: Response | null; flagged?: boolean },
	now = new Date()
): SaveResult {
	return writeTransaction(db, (): SaveResult => {
		const attempt = ownAttempt(db, userId, attemptId);
		if (!attempt) return { ok: false, reason: 'missing', message: '没有找到这次答题，或您无权查看' };
		if (attempt.submittedAt)
			return { ok: false, reason: 'closed', message: '本次答题已交卷，答案不能再修改' };
		if (now.getTime() > attempt.deadline.getTime() + GRACE_MS) {
			finalise(db, attempt, now, true);
			return { ok: false, reason: 'late', message: '作答时间已到，系统已按截止前保存的答案自动交卷' };
		}
		if (change.response === undefined && change.flagged === undefined) return { ok: true };
		const saved = quizStatements(db).saveItem.run({
			attemptId,
			position,
			answer: bit(change.response !== undefined),
			response: change.response == null ? null : JSON.stringify(change.response),
			now: now.getTime(),
			flag: bit(change.flagged !== undefined),
			flagged: bit(change.flagged ?? false)
		});
		return saved.changes ? { ok: true } : { ok: false, reason: 'missing', message: '没有找到这道题' };
	});
}

export type SubmitResult =
	{ ok: true; attemptId: number; late: boolean; already: boolean } | { ok: false; message: string };

/**
 * Submits an attempt. Twice, or from two tabs at once, gives one result and one
 * award: only the first transaction that closes the attempt scores it. A submission
 * after the deadline (the page's countdown sends one when it reaches zero) is the
 * system closing the attempt because time ran out, and is recorded so; after the
 * deadline plus grace the late submission is told that later answers did not count.
 */
export function submitAttempt(db: Db, userId: number, attemptId: number, now = new Date()): SubmitResult {
	return writeTransaction(db, (): SubmitResult => {
		const attempt = ownAttempt(db, userId, attemptId);
		if (!attempt) return { ok: false, message: '没有找到这次答题，或您无权查看' };
		if (attempt.submittedAt) return { ok: true, attemptId, late: false, already: true };
		const late = now.getTime() > attempt.deadline.getTime() + GRACE_MS;
		const timeUp = now.getTime() >= attempt.deadline.getTime();
		finalise(db, attempt, now, timeUp);
		return { ok: true, attemptId, late, already: false };
	});
}

/**
 * Scores and closes an open attempt, awards its points and files its mistakes.
 * An auto-submitted attempt is closed at its deadline.
 */
function finalise(tx: Queryable, attempt: Attempt, now: Date, auto: boolean): void {
	// Prepared statements throughout: every submission runs this (quiz/statements.ts).
	const submittedAt = auto ? new Date(Math.min(now.getTime(), attempt.deadline.getTime())) : now;
	if (!closeAttempt(tx, attempt, submittedAt, auto)) return; // someone else closed it first
	const { correct, total } = markItems(tx, attempt, submittedAt);
	const percent = total ? Math.round((correct / total) * 100) : 0;
	const passed = percent >= attempt.passMark;
	const tooFast = !auto && submittedAt.getTime() - attempt.startedAt.getTime() < FAST_MS_PER_QUESTION * total;
	const points = awardAttemptPoints(tx, attempt, { correct, total, passed }, submittedAt);
	quizStatements(tx).recordScore.run(correct, percent, bit(passed), points, bit(tooFast), attempt.id);
	if (passed && attempt.kind === 'module') {
		checkCourseCompletion(tx, attempt.userId, submittedAt);
		if (attempt.moduleId !== null) creditModuleHours(tx, attempt.userId, attempt.moduleId, submittedAt);
	}
}

/** Marks the attempt submitted unless it already is; false when another transaction closed it first. */
function closeAttempt(tx: Queryable, attempt: Attempt, submittedAt: Date, auto: boolean): boolean {
	const closed = quizStatements(tx).closeAttempt.run(submittedAt.getTime(), bit(auto), attempt.id);
	return closed.changes > 0;
}

/** Marks each answer right or wrong and files the wrong ones in the user's 错题本. */
function markItems(tx: Queryable, attempt: Attempt, submittedAt: Date): { correct: number; total: number } {
	const list = quizStatements(tx).itemsToMark.all({ attemptId: attempt.id });
	const right: number[] = [];
	for (const item of list) {
		const response = item.response === null ? null : (JSON.parse(item.response) as Response);
		if (isCorrect(JSON.parse(item.snapshot) as QuestionSnapshot, response)) right.push(item.position);
		else if (response !== null) recordWrong(tx, attempt.userId, item.questionId, submittedAt);
	}
	quizStatements(tx).markCorrect.run(JSON.stringify(right), attempt.id);
	return { correct: right.length, total: list.length };
}

type Score = { correct: number; total: number; passed: boolean };

/** The points this attempt earns (the ledger's keys make each award once per user). */
function awardAttemptPoints(tx: Queryable, attempt: Attempt, score: Score, at: Date): number {
	const officeId = userOffice(tx, attempt.userId)?.officeId ?? null;
	if (attempt.kind === 'daily') return awardDailyPoints(tx, attempt, officeId, score.correct, at);
	if (attempt.kind === 'module' && attempt.moduleId !== null)
		return awardModulePoints(tx, attempt, attempt.moduleId, officeId, score, at);
	return 0;
}

function awardDailyPoints(
	tx: Queryable,
	attempt: Attempt,
	officeId: number | null,
	correct: number,
	at: Date
): number {
	if (correct === 0) return 0;
	return award(tx, {
		userId: attempt.userId,
		officeId,
		rule: 'daily_practice',
		key: `daily:${attempt.userId}:${attempt.day}`,
		reason: `每日一练答对 ${correct} 题`,
		points: correct,
		at
	}).awarded;
}

function awardModulePoints(
	tx: Queryable,
	attempt: Attempt,
	moduleId: number,
	officeId: number | null,
	{ correct, total, passed }: Score,
	at: Date
): number {
	const title = quizStatements(tx).moduleTitle.get({ moduleId })?.title ?? '';
	let points = 0;
	if (passed) {
		points += award(tx, {
			userId: attempt.userId,
			officeId,
			rule: 'quiz_first_pass',
			key: `quiz-pass:${attempt.userId}:${moduleId}`,
			reason: `《${title}》测验首次及格`,
			at
		}).awarded;
	}
	if (total > 0 && correct === total) {
		points += award(tx, {
			userId: attempt.userId,
			officeId,
			rule: 'quiz_perfect',
			key: `quiz-perfect:${attempt.userId}:${moduleId}`,
			reason: `《${title}》测验满分`,
			at
		}).awarded;
	}
	return points;
}

/** Closes every attempt whose time (plus grace) ran out: run periodically and on access. */
export function finaliseOverdue(db: Db, now = new Date()): number {
	const overdue = db
		.select()
		.from(attempts)
		.where(and(isNull(attempts.submittedAt), lt(attempts.deadline, new Date(now.getTime() - GRACE_MS))))
		.all();
	for (const a of overdue) db.transaction((tx) => finalise(tx, a, now, true));
	return overdue.length;
}

/** A user's submitted attempts, newest first. */
export function history(db: Queryable, userId: number, page = 1, pageSize = 20) {
	const where = and(eq(attempts.userId, userId), isNotNull(attempts.submittedAt));
	const total = db.select({ n: count() }).from(attempts).where(where).get()?.n ?? 0;
	const rows = db
		.select({
			id: attempts.id,
			kind: attempts.kind,
			moduleTitle: modules.title,
			submittedAt: attempts.submittedAt,
			rightCount: attempts.correct,
			total: attempts.total,
			percent: attempts.percent,
			passed: attempts.passed,
			points: attempts.points,
			autoSubmitted: attempts.autoSubmitted
		})
		.from(attempts)
		.leftJoin(modules, eq(modules.id, attempts.moduleId))
		.where(where)
		.orderBy(desc(attempts.submittedAt), desc(attempts.id))
		.limit(pageSize)
		.offset((page - 1) * pageSize)
		.all();
	return { rows, total };
}
