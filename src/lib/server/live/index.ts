import { randomInt } from 'node:crypto';
import { and, asc, count, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import {
	OBJECTIVE_TYPES,
	liveAnswers,
	livePlayers,
	liveQuizzes,
	modules,
	questions,
	users
} from '../db/schema';
import { canManageOffice, type Actor } from '../org/offices';
import { award } from '../points/ledger';
import {
	answerText,
	isCorrect,
	publicQuestion,
	shuffle,
	snapshotOf,
	type QuestionSnapshot,
	type Response
} from '../quiz/questions';
import { releaseAttempt, reserveAttempt, tooManyAttempts } from '../rate-limit';
import { PINYIN_ORDER } from '../users/name-key';
import { publish } from './bus';
import { recordAudit, type AuditActor } from '../audit';
import { pickableModule } from '../learning/audience';
import { NOT_PICKABLE } from '../learning/catalog';

export type Live = typeof liveQuizzes.$inferSelect;
/** Live quizzes score at once: only objective questions (简答 are for exams, graded by hand). */
const objective = inArray(questions.type, [...OBJECTIVE_TYPES]);
/** Answers arriving this long after the countdown still count (network delay), never more. */
export const ANSWER_GRACE_MS = 1000;
export const BASE_SCORE = 1000;
export const SPEED_BONUS = 200;

function load(db: Queryable, id: number): Live | undefined {
	return db.select().from(liveQuizzes).where(eq(liveQuizzes.id, id)).get();
}

function snapshots(live: Live): QuestionSnapshot[] {
	return JSON.parse(live.questions) as QuestionSnapshot[];
}

/** A live quiz, if the actor may host it (they manage its office); to anyone else it does not exist. */
export function hostedLive(db: Queryable, actor: Actor, id: number): Live | undefined {
	const live = load(db, id);
	return live && canManageOffice(db, actor, live.officeId) ? live : undefined;
}

/** A live quiz, if the user has joined it. */
export function joinedLive(db: Queryable, userId: number, id: number): Live | undefined {
	const live = load(db, id);
	return live && isPlayer(db, live.id, userId) ? live : undefined;
}

/** The host sets up a live quiz from a module's bank: questions drawn and fixed now. */
export function createLive(
	db: Db,
	host: AuditActor,
	input: { moduleId: number; count: number; seconds: number; speedBonus: boolean; questionIds?: number[] },
	now = new Date()
): { ok: true; id: number; pin: string } | { ok: false; errors: Record<string, string> } {
	if (!host.officeId) return { ok: false, errors: { _form: '只有单位管理员可以主持现场答题' } };
	const errors: Record<string, string> = {};
	// Either hand-picked questions (in the order given) or a random draw from one module's bank.
	const picked = [...new Set(input.questionIds ?? [])];
	// Only modules the office's members may study (learning/audience.ts: the office picker).
	const pickable = pickableModule(db, { kind: 'office', officeId: host.officeId });
	const mod = picked.length
		? undefined
		: db
				.select()
				.from(modules)
				.where(and(eq(modules.id, input.moduleId), pickable))
				.get();
	if (!picked.length && !mod)
		errors.moduleId = input.moduleId > 0 ? NOT_PICKABLE : '请选择题目来源模块，或手选题目';
	if (picked.length > 20) errors.questionIds = '手选题目最多 20 道';
	if (!picked.length && (!Number.isInteger(input.count) || input.count < 1 || input.count > 20))
		errors.count = '题数为 1–20';
	if (!Number.isInteger(input.seconds) || input.seconds < 10 || input.seconds > 120)
		errors.seconds = '每题时间为 10–120 秒';
	const chosen = picked.length
		? db
				.select({ question: questions })
				.from(questions)
				.innerJoin(modules, eq(modules.id, questions.moduleId))
				.where(and(inArray(questions.id, picked), isNull(questions.archivedAt), objective, pickable))
				.all()
				.map((r) => r.question)
		: [];
	if (picked.length && chosen.length !== picked.length) errors.questionIds = '所选题目不存在或已下线';
	if (Object.keys(errors).length) return { ok: false, errors };
	const pool = picked.length
		? picked.map((id) => chosen.find((q) => q.id === id)!)
		: shuffle(
				db
					.select()
					.from(questions)
					.where(and(eq(questions.moduleId, mod!.id), isNull(questions.archivedAt), objective))
					.all()
			).slice(0, input.count);
	const drawn = pool.map((q) => snapshotOf(q, true));
	const title = mod ? `现场答题：${mod.title}` : '现场答题';
	const officeId = host.officeId;
	for (;;) {
		const pin = String(randomInt(1_000_000)).padStart(6, '0');
		const id = db.transaction((tx) => {
			const taken = tx.select({ id: liveQuizzes.id }).from(liveQuizzes).where(eq(liveQuizzes.pin, pin)).get();
			if (taken) return null;
			const row = tx
				.insert(liveQuizzes)
				.values({
					officeId,
					hostId: host.id,
					title,
					pin,
					questions: JSON.stringify(drawn),
					secondsPerQuestion: input.seconds,
					speedBonus: input.speedBonus,
					createdAt: now
				})
				.returning({ id: liveQuizzes.id })
				.get();
			const summary = `创建${title}（${drawn.length} 题，每题 ${input.seconds} 秒${input.speedBonus ? '，有速度加分' : ''}）`;
			recordAudit(tx, host, {
				action: 'live.create',
				officeId,
				target: { type: 'live', id: row.id },
				summary,
				at: now
			});
			return row.id;
		});
		if (id !== null) return { ok: true, id, pin };
	}
}

/** Wrong PINs a member may enter per window: the PIN on the screen is what lets one play (and earn points). */
export const MAX_WRONG_PINS = 10;
export const WRONG_PIN_WINDOW_MS = 10 * 60_000;

/** A member joins with the PIN: only the office's roster, each person once. */
export function joinLive(
	db: Db,
	user: { id: number; officeId: number | null },
	rawPin: string,
	now = new Date()
): { ok: true; id: number; already: boolean } | { ok: false; message: string } {
	const pin = rawPin.replace(/\s/g, '');
	if (!/^\d{6}$/.test(pin)) return { ok: false, message: '请输入 6 位数字 PIN 码' };
	const reservation = reserveAttempt(
		db,
		[{ key: `live-pin:${user.id}`, max: MAX_WRONG_PINS, windowMs: WRONG_PIN_WINDOW_MS }],
		now
	);
	if (!reservation.ok) return { ok: false, message: tooManyAttempts(reservation.retryAfterMs) };
	const live = db
		.select()
		.from(liveQuizzes)
		.where(and(eq(liveQuizzes.pin, pin), ne(liveQuizzes.phase, 'finished')))
		.get();
	if (!live) return { ok: false, message: '没有进行中的现场答题使用这个 PIN 码' };
	if (user.officeId !== live.officeId) return { ok: false, message: '这场现场答题只面向本单位成员' };
	releaseAttempt(db, reservation.ids);
	const joined = db
		.insert(livePlayers)
		.values({ liveId: live.id, userId: user.id, joinedAt: now })
		.onConflictDoNothing()
		.run();
	if (joined.changes) publish(live.id);
	return { ok: true, id: live.id, already: joined.changes === 0 };
}

function isPlayer(db: Queryable, liveId: number, userId: number): boolean {
	return !!db
		.select({ u: livePlayers.userId })
		.from(livePlayers)
		.where(and(eq(livePlayers.liveId, liveId), eq(livePlayers.userId, userId)))
		.get();
}

type HostAction = 'next' | 'reveal' | 'finish';

/** The host moves the quiz on: next question, reveal the answer, or finish (ranking saved, points awarded). */
export function advance(
	db: Db,
	host: AuditActor,
	liveId: number,
	action: HostAction,
	now = new Date()
): { ok: true } | { ok: false; message: string } {
	const live = hostedLive(db, host, liveId);
	if (!live) return { ok: false, message: '没有找到这场现场答题，或不在您的管理范围内' };
	if (live.phase === 'finished') return { ok: false, message: '现场答题已经结束' };
	const total = snapshots(live).length;
	if (action === 'reveal') {
		if (live.phase !== 'question') return { ok: false, message: '现在没有正在作答的题目' };
		db.update(liveQuizzes).set({ phase: 'reveal' }).where(eq(liveQuizzes.id, liveId)).run();
	} else if (action === 'next' && live.currentIndex + 1 < total) {
		db.transaction((tx) => {
			tx.update(liveQuizzes)
				.set({ phase: 'question', currentIndex: live.currentIndex + 1, questionStartedAt: now })
				.where(eq(liveQuizzes.id, liveId))
				.run();
			// The log notes when the host opened the quiz, not every question.
			if (live.phase === 'lobby')
				recordAudit(tx, host, {
					action: 'live.start',
					officeId: live.officeId,
					target: { type: 'live', id: liveId },
					summary: `开始${live.title}（PIN ${live.pin}）`,
					at: now
				});
		});
		scheduleReveal(
			db,
			liveId,
			live.currentIndex + 1,
			now.getTime() + live.secondsPerQuestion * 1000 + ANSWER_GRACE_MS
		);
	} else {
		finish(db, host, live, now);
	}
	publish(liveId);
	return { ok: true };
}

/** When time is up the answer is revealed even if the host does not press the button. */
function scheduleReveal(db: Db, liveId: number, index: number, revealAt: number): void {
	const delay = revealAt - Date.now();
	if (delay <= 0) return; // a question in the past (replayed history): nothing to wait for
	setTimeout(() => {
		try {
			const live = load(db, liveId);
			if (live?.phase === 'question' && live.currentIndex === index) {
				db.update(liveQuizzes).set({ phase: 'reveal' }).where(eq(liveQuizzes.id, liveId)).run();
				publish(liveId);
			}
		} catch {
			// The database was closed (shutdown, a finished script): there is nobody left to tell.
		}
	}, delay).unref();
}

function finish(db: Db, host: AuditActor, live: Live, now: Date): void {
	db.transaction((tx) => {
		tx.update(liveQuizzes)
			.set({ phase: 'finished', finishedAt: now })
			.where(eq(liveQuizzes.id, live.id))
			.run();
		const players = tx
			.select()
			.from(livePlayers)
			.where(eq(livePlayers.liveId, live.id))
			.orderBy(desc(livePlayers.score))
			.all();
		players.forEach((p, i) => {
			const rank =
				i > 0 && players[i - 1]!.score === p.score
					? (tx
							.select({ rank: livePlayers.rank })
							.from(livePlayers)
							.where(and(eq(livePlayers.liveId, live.id), eq(livePlayers.userId, players[i - 1]!.userId)))
							.get()?.rank ?? i + 1)
					: i + 1;
			tx.update(livePlayers)
				.set({ rank })
				.where(and(eq(livePlayers.liveId, live.id), eq(livePlayers.userId, p.userId)))
				.run();
			const right =
				tx
					.select({ n: count() })
					.from(liveAnswers)
					.where(
						and(
							eq(liveAnswers.liveId, live.id),
							eq(liveAnswers.userId, p.userId),
							eq(liveAnswers.correct, true)
						)
					)
					.get()?.n ?? 0;
			if (right > 0) {
				award(tx, {
					userId: p.userId,
					officeId: live.officeId,
					rule: 'live_quiz',
					key: `live:${live.id}:${p.userId}`,
					reason: `${live.title}答对 ${right} 题`,
					points: right,
					at: now
				});
			}
		});
		recordAudit(tx, host, {
			action: 'live.finish',
			officeId: live.officeId,
			target: { type: 'live', id: live.id },
			summary: `结束${live.title}（${players.length} 人参加）`,
			at: now
		});
	});
}

/**
 * A player's answer to the current question, timed and scored on the server:
 * accuracy first, plus a small bonus for speed when the host turned it on.
 */
export function answerLive(
	db: Db,
	user: { id: number },
	liveId: number,
	response: Response | null,
	now = new Date()
): { ok: true } | { ok: false; message: string } {
	const live = joinedLive(db, user.id, liveId);
	if (!live) return { ok: false, message: '没有找到这场现场答题，或您还没有加入' };
	if (live.phase !== 'question' || !live.questionStartedAt) return { ok: false, message: '现在不在作答时间' };
	if (response === null) return { ok: false, message: '请先选择答案' };
	const limit = live.secondsPerQuestion * 1000;
	const elapsed = now.getTime() - live.questionStartedAt.getTime();
	if (elapsed > limit + ANSWER_GRACE_MS) return { ok: false, message: '本题作答时间已到' };
	const snap = snapshots(live)[live.currentIndex]!;
	const correct = isCorrect(snap, response);
	const bonus = live.speedBonus ? Math.round(SPEED_BONUS * Math.max(0, 1 - elapsed / limit)) : 0;
	const score = correct ? BASE_SCORE + bonus : 0;
	const written = db.transaction((tx) => {
		const inserted = tx
			.insert(liveAnswers)
			.values({
				liveId,
				questionIndex: live.currentIndex,
				userId: user.id,
				response: JSON.stringify(response),
				answeredAt: now,
				correct,
				score
			})
			.onConflictDoNothing()
			.run();
		if (inserted.changes)
			tx.update(livePlayers)
				.set({ score: sql`${livePlayers.score} + ${score}` })
				.where(and(eq(livePlayers.liveId, liveId), eq(livePlayers.userId, user.id)))
				.run();
		return inserted.changes > 0;
	});
	if (!written) return { ok: false, message: '本题您已经作答过了' };
	publish(liveId);
	return { ok: true };
}

export function ranking(db: Queryable, liveId: number, limit = 10) {
	return db
		.select({ userId: livePlayers.userId, name: users.name, score: livePlayers.score })
		.from(livePlayers)
		.innerJoin(users, eq(users.id, livePlayers.userId))
		.where(eq(livePlayers.liveId, liveId))
		.orderBy(desc(livePlayers.score), asc(livePlayers.joinedAt))
		.limit(limit)
		.all();
}

/**
 * What a screen may show now. The host and the phones get the same question
 * (without the key) while it runs; the key, the distribution and the ranking
 * only once it is revealed. A player also gets their own answer and score.
 */
export function liveState(db: Queryable, liveId: number, viewerId: number | null, now = new Date()) {
	const live = load(db, liveId);
	if (!live) return null;
	const list = snapshots(live);
	const snap = list[live.currentIndex];
	const players =
		db.select({ n: count() }).from(livePlayers).where(eq(livePlayers.liveId, liveId)).get()?.n ?? 0;
	const answers = snap
		? db
				.select()
				.from(liveAnswers)
				.where(and(eq(liveAnswers.liveId, liveId), eq(liveAnswers.questionIndex, live.currentIndex)))
				.all()
		: [];
	const revealed = live.phase === 'reveal' || live.phase === 'finished';
	const mine = viewerId ? answers.find((a) => a.userId === viewerId) : undefined;
	const me = viewerId
		? db
				.select()
				.from(livePlayers)
				.where(and(eq(livePlayers.liveId, liveId), eq(livePlayers.userId, viewerId)))
				.get()
		: undefined;
	const distribution =
		revealed && snap && (snap.type === 'single' || snap.type === 'truefalse' || snap.type === 'multiple')
			? (snap.type === 'truefalse' ? [true, false] : snap.options.map((_, i) => i)).map(
					(value) =>
						answers.filter((a) => {
							const response = JSON.parse(a.response) as Response;
							return Array.isArray(response)
								? (response as number[]).includes(value as number)
								: response === value;
						}).length
				)
			: null;
	return {
		id: live.id,
		title: live.title,
		pin: live.phase === 'finished' ? null : live.pin,
		phase: live.phase,
		index: live.currentIndex,
		total: list.length,
		players,
		answered: answers.length,
		question: snap && live.phase !== 'lobby' ? publicQuestion(snap) : null,
		deadline:
			live.phase === 'question' && live.questionStartedAt
				? live.questionStartedAt.getTime() + live.secondsPerQuestion * 1000
				: null,
		serverNow: now.getTime(),
		reveal:
			revealed && snap
				? { answer: answerText(snap), distribution, right: answers.filter((a) => a.correct).length }
				: null,
		ranking: revealed ? ranking(db, liveId) : null,
		me: me
			? { score: me.score, rank: me.rank, answered: !!mine, correct: revealed && mine ? mine.correct : null }
			: null
	};
}

export type LiveState = NonNullable<ReturnType<typeof liveState>>;

export function getLive(db: Queryable, id: number) {
	return load(db, id);
}

/** The final ranking for download: rank, name, score, right answers. */
export function results(db: Queryable, liveId: number) {
	return db
		.select({
			rank: livePlayers.rank,
			name: users.name,
			username: users.username,
			score: livePlayers.score,
			right: sql<number>`(SELECT count(*) FROM live_answers a WHERE a.live_id = ${liveId} AND a.user_id = ${livePlayers.userId} AND a.correct = 1)`
		})
		.from(livePlayers)
		.innerJoin(users, eq(users.id, livePlayers.userId))
		.where(eq(livePlayers.liveId, liveId))
		.orderBy(asc(livePlayers.rank), desc(livePlayers.score), ...PINYIN_ORDER)
		.all();
}

/**
 * The live question bank a host may hand-pick from (stems only, never the answers), by module:
 * the modules of the host office's picker (what its members may study).
 */
export function pickableQuestions(
	db: Queryable,
	officeId: number | null
): { id: number; stem: string; moduleId: number }[] {
	return db
		.select({ id: questions.id, stem: questions.stem, moduleId: questions.moduleId })
		.from(questions)
		.innerJoin(modules, eq(modules.id, questions.moduleId))
		.where(and(isNull(questions.archivedAt), objective, pickableModule(db, { kind: 'office', officeId })))
		.orderBy(asc(questions.moduleId), asc(questions.id))
		.all();
}

export function officeLives(db: Queryable, officeIds: number[]) {
	if (officeIds.length === 0) return [];
	return db
		.select({
			id: liveQuizzes.id,
			title: liveQuizzes.title,
			phase: liveQuizzes.phase,
			pin: liveQuizzes.pin,
			createdAt: liveQuizzes.createdAt
		})
		.from(liveQuizzes)
		.where(
			sql`${liveQuizzes.officeId} IN (${sql.join(
				officeIds.map((i) => sql`${i}`),
				sql`, `
			)})`
		)
		.orderBy(desc(liveQuizzes.createdAt))
		.all();
}
