import { and, asc, count, desc, eq, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { bit, prepared, writeTransaction } from '../db/statements';
import { attemptItems, attempts, lessonProgress, lessons, modules, questions } from '../db/schema';
import { award } from '../points/ledger';
import { checkCourseCompletion } from '../courses/progress';
import { shanghaiDay } from '../time';
import { isCorrect, publicQuestion, shuffle, snapshotOf, type PublicQuestion, type QuestionSnapshot, type Response } from './questions';
import { getQuizSettings } from './settings';
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
			.values({ attemptId: attempt.id, position: i + 1, questionId: s.questionId, snapshot: JSON.stringify(s.snapshot) })
			.run();
	});
	return attempt.id;
}

function bank(tx: Queryable, moduleIds: number[]) {
	return tx
		.select()
		.from(questions)
		.where(and(inArray(questions.moduleId, moduleIds), isNull(questions.archivedAt)))
		.orderBy(asc(questions.id))
		.all();
}

/** An open attempt of this user for this module (finalising it first if its time is up). */
function openAttempt(tx: Queryable, userId: number, where: ReturnType<typeof and>, now: Date): Attempt | undefined {
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
 * drawn, ordered and snapshotted now; the deadline is fixed now.
 */
export function startModuleAttempt(db: Db, user: User, moduleId: number, now = new Date()): StartResult {
	const settings = getQuizSettings(db, moduleId);
	const mod = db.select().from(modules).where(and(eq(modules.id, moduleId), isNull(modules.archivedAt))).get();
	if (!settings || !mod) return { ok: false, message: '没有这个模块的测验' };
	return db.transaction(
		(tx): StartResult => {
			const open = openAttempt(tx, user.id, and(eq(attempts.kind, 'module'), eq(attempts.moduleId, moduleId)), now);
			if (open) return { ok: true, attemptId: open.id, resumed: true };
			const used = attemptsUsed(tx, user.id, moduleId);
			if (settings.attemptsAllowed > 0 && used >= settings.attemptsAllowed) {
				return { ok: false, message: `本测验最多可作答 ${settings.attemptsAllowed} 次，您的次数已用完` };
			}
			const pool = bank(tx, [moduleId]);
			if (pool.length === 0) return { ok: false, message: '本模块的题库暂时为空' };
			let drawn = shuffle(pool).slice(0, Math.min(settings.draw, pool.length));
			if (!settings.shuffleQuestions) drawn = drawn.sort((a, b) => a.id - b.id);
			const snapshots = drawn.map((q) => ({ questionId: q.id, snapshot: snapshotOf(q, settings.shuffleOptions) }));
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
		},
		{ behavior: 'immediate' }
	);
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

/** Modules the user has started reading; the daily practice draws from these (or all, if none). */
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
	return db.transaction(
		(tx): StartResult => {
			const today = tx
				.select()
				.from(attempts)
				.where(and(eq(attempts.userId, user.id), eq(attempts.kind, 'daily'), eq(attempts.day, day)))
				.get();
			if (today) {
				if (!today.submittedAt && now.getTime() > today.deadline.getTime() + GRACE_MS) finalise(tx, today, now, true);
				return { ok: true, attemptId: today.id, resumed: true };
			}
			const live = tx.select({ id: modules.id }).from(modules).where(isNull(modules.archivedAt)).all().map((m) => m.id);
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
		},
		{ behavior: 'immediate' }
	);
}

// Answer-saves run on every click of every cadre in a quiz. Built per call, each Drizzle
// query costs ~0.1 ms to build and prepare (most of a save, see docs/PERFORMANCE.md), so
// the hot lookups are prepared once per database. They run on the database's single
// connection, so inside a transaction they read within it.
const hotStatements = new WeakMap<Db, ReturnType<typeof prepareHot>>();

function prepareHot(db: Db) {
	return {
		ownAttempt: db
			.select()
			.from(attempts)
			.where(and(eq(attempts.id, sql.placeholder('attemptId')), eq(attempts.userId, sql.placeholder('userId'))))
			.prepare(),
		snapshotAt: db
			.select({ snapshot: attemptItems.snapshot, total: attempts.total })
			.from(attemptItems)
			.innerJoin(attempts, eq(attempts.id, attemptItems.attemptId))
			.where(
				and(
					eq(attemptItems.attemptId, sql.placeholder('attemptId')),
					eq(attemptItems.position, sql.placeholder('position')),
					eq(attempts.userId, sql.placeholder('userId'))
				)
			)
			.prepare()
	};
}

function hot(db: Db): ReturnType<typeof prepareHot> {
	let statements = hotStatements.get(db);
	if (!statements) hotStatements.set(db, (statements = prepareHot(db)));
	return statements;
}

/** The attempt, only if it belongs to this user (anyone else gets nothing, not even a 403 hint). */
export function ownAttempt(db: Db, userId: number, attemptId: number): Attempt | undefined {
	return hot(db).ownAttempt.get({ attemptId, userId });
}

/**
 * The question at one position of this user's attempt, as the browser may see it, and
 * the attempt's length: all that saving one answer needs. Nothing for anyone else's attempt.
 */
export function questionAt(db: Db, userId: number, attemptId: number, position: number): { question: PublicQuestion; total: number } | undefined {
	const row = hot(db).snapshotAt.get({ attemptId, position, userId });
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
		if (!attempt) return { ok: false, reason: 'missing', message: '找不到这次答题' };
		if (attempt.submittedAt) return { ok: false, reason: 'closed', message: '本次答题已交卷，答案不能再修改' };
		if (now.getTime() > attempt.deadline.getTime() + GRACE_MS) {
			finalise(db, attempt, now, true);
			return { ok: false, reason: 'late', message: '作答时间已到，系统已按截止前保存的答案自动交卷' };
		}
		const columns: string[] = [];
		if (change.response !== undefined) columns.push('response = @response', 'answered_at = @now');
		if (change.flagged !== undefined) columns.push('flagged = @flagged');
		if (columns.length === 0) return { ok: true };
		const r = prepared(db, `UPDATE attempt_items SET ${columns.join(', ')} WHERE attempt_id = @attemptId AND position = @position`).run({
			attemptId,
			position,
			now: now.getTime(),
			response: change.response == null ? null : JSON.stringify(change.response),
			flagged: bit(change.flagged ?? false)
		});
		return r.changes ? { ok: true } : { ok: false, reason: 'missing', message: '没有这道题' };
	});
}

export type SubmitResult =
	| { ok: true; attemptId: number; late: boolean; already: boolean }
	| { ok: false; message: string };

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
		if (!attempt) return { ok: false, message: '找不到这次答题' };
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
	// Prepared statements throughout: every submission runs this (see db/statements.ts).
	const submittedAt = auto ? new Date(Math.min(now.getTime(), attempt.deadline.getTime())) : now;
	const closed = prepared(tx, 'UPDATE attempts SET submitted_at = ?, auto_submitted = ? WHERE id = ? AND submitted_at IS NULL').run(
		submittedAt.getTime(),
		bit(auto),
		attempt.id
	);
	if (closed.changes === 0) return; // someone else closed it first
	const list = prepared(tx, 'SELECT position, question_id AS questionId, snapshot, response FROM attempt_items WHERE attempt_id = ? ORDER BY position').all(
		attempt.id
	) as { position: number; questionId: number; snapshot: string; response: string | null }[];
	const right: number[] = [];
	for (const item of list) {
		const response = item.response === null ? null : (JSON.parse(item.response) as Response);
		if (isCorrect(JSON.parse(item.snapshot) as QuestionSnapshot, response)) right.push(item.position);
		else if (response !== null) recordWrong(tx, attempt.userId, item.questionId, submittedAt);
	}
	prepared(tx, 'UPDATE attempt_items SET correct = position IN (SELECT value FROM json_each(?)) WHERE attempt_id = ?').run(JSON.stringify(right), attempt.id);
	const correct = right.length;
	const total = list.length;
	const percent = total ? Math.round((correct / total) * 100) : 0;
	const passed = percent >= attempt.passMark;
	const tooFast = !auto && submittedAt.getTime() - attempt.startedAt.getTime() < FAST_MS_PER_QUESTION * total;
	const officeId = userOffice(tx, attempt.userId);
	let points = 0;
	const at = submittedAt;
	if (attempt.kind === 'daily' && correct > 0) {
		points += award(tx, {
			userId: attempt.userId,
			officeId,
			rule: 'daily_practice',
			key: `daily:${attempt.userId}:${attempt.day}`,
			reason: `每日一练答对 ${correct} 题`,
			points: correct,
			at
		}).awarded;
	}
	if (attempt.kind === 'module' && attempt.moduleId !== null) {
		const title = (prepared(tx, 'SELECT title FROM modules WHERE id = ?').get(attempt.moduleId) as { title: string } | undefined)?.title ?? '';
		if (passed) {
			points += award(tx, {
				userId: attempt.userId,
				officeId,
				rule: 'quiz_first_pass',
				key: `quiz-pass:${attempt.userId}:${attempt.moduleId}`,
				reason: `《${title}》测验首次及格`,
				at
			}).awarded;
		}
		if (total > 0 && correct === total) {
			points += award(tx, {
				userId: attempt.userId,
				officeId,
				rule: 'quiz_perfect',
				key: `quiz-perfect:${attempt.userId}:${attempt.moduleId}`,
				reason: `《${title}》测验满分`,
				at
			}).awarded;
		}
	}
	prepared(tx, 'UPDATE attempts SET correct = ?, percent = ?, passed = ?, points = ?, flagged_fast = ? WHERE id = ?').run(
		correct,
		percent,
		bit(passed),
		points,
		bit(tooFast),
		attempt.id
	);
	if (passed && attempt.kind === 'module') checkCourseCompletion(tx, attempt.userId, submittedAt);
}

function userOffice(tx: Queryable, userId: number): number | null {
	const row = prepared(tx, 'SELECT office_id AS officeId FROM users WHERE id = ?').get(userId) as { officeId: number | null } | undefined;
	return row?.officeId ?? null;
}

/** Closes every attempt whose time (plus grace) ran out: run periodically and on access. */
export function finaliseOverdue(db: Db, now = new Date()): number {
	const overdue = db
		.select()
		.from(attempts)
		.where(and(isNull(attempts.submittedAt), lt(attempts.deadline, new Date(now.getTime() - GRACE_MS))))
		.all();
	for (const a of overdue) db.transaction((tx) => finalise(tx, a, now, true), { behavior: 'immediate' });
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
