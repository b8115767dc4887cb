import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDb, addUser, seedTree, SYSADMIN } from '../helpers/db';
import { syncContent } from '../../src/lib/server/content/sync';
import { modules, pointsLedger, questions, attempts, wrongBook } from '../../src/lib/server/db/schema';
import {
	GRACE_MS,
	finaliseOverdue,
	items,
	ownAttempt,
	runningView,
	saveAnswer,
	startDailyPractice,
	startModuleAttempt,
	submitAttempt
} from '../../src/lib/server/quiz/attempts';
import {
	isCorrect,
	normaliseFill,
	snapshotOf,
	type QuestionSnapshot,
	type Response
} from '../../src/lib/server/quiz/questions';
import { saveQuizSettings, getQuizSettings, quizModules } from '../../src/lib/server/quiz/settings';
import { attemptHeading, dailyStatus, moduleQuizzes } from '../../src/lib/server/quiz/overview';
import type { Db } from '../../src/lib/server/db';

let db: Db;
let user: { id: number; officeId: number | null };
let other: { id: number; officeId: number | null };
let moduleId: number;

beforeEach(async () => {
	db = testDb();
	syncContent(db, 'content');
	const office = seedTree(db).lishi;
	const u = await addUser(db, { username: 'taker', officeId: office.id });
	const o = await addUser(db, { username: 'other', officeId: office.id });
	user = { id: u.id, officeId: office.id };
	other = { id: o.id, officeId: office.id };
	moduleId = db.select().from(modules).where(eq(modules.slug, 'whole-process-democracy')).get()!.id;
});

const snap = (over: Partial<QuestionSnapshot>): QuestionSnapshot => ({
	key: 'k',
	type: 'single',
	stem: '题',
	options: ['甲', '乙', '丙'],
	answer: 1,
	explanation: '',
	moduleId: 1,
	lessonId: 1,
	...over
});

/** The right answer of each item, from the server-side snapshot. */
function rightAnswer(s: QuestionSnapshot): Response {
	if (s.type === 'fill') return (s.answer as string[][]).map((a) => a[0]!);
	return s.answer as Response;
}
function wrongAnswer(s: QuestionSnapshot): Response {
	if (s.type === 'single') return ((s.answer as number) + 1) % s.options.length;
	if (s.type === 'multiple') return [0];
	if (s.type === 'truefalse') return !(s.answer as boolean);
	return (s.answer as string[][]).map(() => '错');
}

function answerAll(attemptId: number, pick: (s: QuestionSnapshot, i: number) => Response | null, at: Date) {
	for (const item of items(db, attemptId)) {
		const r = pick(item.snapshot, item.position);
		if (r !== null)
			expect(saveAnswer(db, user.id, attemptId, item.position, { response: r }, at)).toEqual({ ok: true });
	}
}

describe('scoring every question type', () => {
	it('single and true/false need the exact answer', () => {
		expect(isCorrect(snap({}), 1)).toBe(true);
		expect(isCorrect(snap({}), 0)).toBe(false);
		expect(isCorrect(snap({}), null)).toBe(false);
		expect(isCorrect(snap({ type: 'truefalse', options: [], answer: false }), false)).toBe(true);
		expect(isCorrect(snap({ type: 'truefalse', options: [], answer: false }), true)).toBe(false);
	});

	it('multiple choice needs every correct option and no wrong one', () => {
		const q = snap({ type: 'multiple', options: ['a', 'b', 'c', 'd'], answer: [0, 2] });
		expect(isCorrect(q, [2, 0])).toBe(true);
		expect(isCorrect(q, [0])).toBe(false);
		expect(isCorrect(q, [0, 2, 3])).toBe(false);
	});

	it('fill-in ignores surrounding space, full-width forms and trailing punctuation; every blank must match', () => {
		const q = snap({ type: 'fill', options: [], answer: [['管用'], ['ABC', '甲乙丙']] });
		expect(isCorrect(q, ['  管用。', 'ＡＢＣ'])).toBe(true);
		expect(isCorrect(q, ['管用！', 'abc'])).toBe(true);
		expect(isCorrect(q, ['管用', '甲乙丙；'])).toBe(true);
		expect(isCorrect(q, ['管 用', '甲乙丙'])).toBe(true);
		expect(isCorrect(q, ['管用', ''])).toBe(false);
		expect(isCorrect(q, ['有用', 'ABC'])).toBe(false);
		expect(normaliseFill('　２０３５年， ')).toBe('2035年');
	});

	it('shuffled options keep the right answer pointing at the same text', () => {
		const bankRow = {
			key: 'k',
			type: 'multiple' as const,
			stem: 's',
			options: JSON.stringify(['甲', '乙', '丙', '丁']),
			answer: JSON.stringify([1, 3]),
			explanation: '',
			moduleId: 1,
			lessonId: 1
		};
		for (let i = 0; i < 20; i++) {
			const s = snapshotOf(bankRow, true);
			expect(new Set((s.answer as number[]).map((k) => s.options[k]))).toEqual(new Set(['乙', '丁']));
		}
	});
});

describe('module attempts', () => {
	it('draws the configured number of questions and fixes them in a snapshot that survives bank edits', () => {
		const start = startModuleAttempt(db, user, moduleId);
		if (!start.ok) throw new Error(start.message);
		const before = items(db, start.attemptId);
		expect(before).toHaveLength(getQuizSettings(db, moduleId)!.draw);
		expect(new Set(before.map((i) => i.questionId)).size).toBe(before.length);
		// Someone edits the bank mid-attempt.
		db.update(questions)
			.set({ stem: '改过的题干', answer: '0' })
			.where(eq(questions.id, before[0]!.questionId))
			.run();
		const after = items(db, start.attemptId);
		expect(after.map((i) => [i.questionId, i.snapshot.stem, i.snapshot.options])).toEqual(
			before.map((i) => [i.questionId, i.snapshot.stem, i.snapshot.options])
		);
		// Starting again resumes the same attempt (reload, second tab).
		expect(startModuleAttempt(db, user, moduleId)).toEqual({
			ok: true,
			attemptId: start.attemptId,
			resumed: true
		});
	});

	it('saves answers as they are given and shows them again on reload', () => {
		const start = startModuleAttempt(db, user, moduleId);
		if (!start.ok) throw new Error();
		const item = items(db, start.attemptId)[2]!;
		saveAnswer(db, user.id, start.attemptId, 3, { response: rightAnswer(item.snapshot), flagged: true });
		const view = runningView(db, ownAttempt(db, user.id, start.attemptId)!);
		expect(view[2]).toMatchObject({ position: 3, response: rightAnswer(item.snapshot), flagged: true });
		expect(view.filter((v) => v.response !== null)).toHaveLength(1);
	});

	it('a flag alone keeps the answer, an answer alone keeps the flag, and an answer can be cleared', () => {
		const start = startModuleAttempt(db, user, moduleId);
		if (!start.ok) throw new Error();
		const answer = rightAnswer(items(db, start.attemptId)[0]!.snapshot);
		const first = () => runningView(db, ownAttempt(db, user.id, start.attemptId)!)[0];
		expect(saveAnswer(db, user.id, start.attemptId, 1, { response: answer })).toEqual({ ok: true });
		expect(saveAnswer(db, user.id, start.attemptId, 1, { flagged: true })).toEqual({ ok: true });
		expect(first()).toMatchObject({ response: answer, flagged: true });
		expect(saveAnswer(db, user.id, start.attemptId, 1, { response: null })).toEqual({ ok: true });
		expect(first()).toMatchObject({ response: null, flagged: true });
		expect(saveAnswer(db, user.id, start.attemptId, 1, { response: answer, flagged: false })).toEqual({
			ok: true
		});
		expect(first()).toMatchObject({ response: answer, flagged: false });
		expect(saveAnswer(db, user.id, start.attemptId, 99, { flagged: true })).toMatchObject({
			ok: false,
			reason: 'missing'
		});
	});

	it('the running view carries no answer key or explanation', () => {
		const start = startModuleAttempt(db, user, moduleId);
		if (!start.ok) throw new Error();
		const json = JSON.stringify(runningView(db, ownAttempt(db, user.id, start.attemptId)!));
		expect(json).not.toMatch(/answer|explanation|correct|lessonId/);
	});

	it('scores on the server, awards first-pass and perfect points once, and files mistakes in the wrong book', () => {
		const t0 = new Date('2026-11-24T02:00:00Z');
		const first = startModuleAttempt(db, user, moduleId, t0);
		if (!first.ok) throw new Error();
		answerAll(first.attemptId, (s) => rightAnswer(s), new Date(t0.getTime() + 60_000));
		expect(submitAttempt(db, user.id, first.attemptId, new Date(t0.getTime() + 120_000))).toMatchObject({
			ok: true,
			late: false
		});
		const a1 = ownAttempt(db, user.id, first.attemptId)!;
		expect(a1).toMatchObject({ percent: 100, passed: true, points: 7, flaggedFast: false });

		const t1 = new Date('2026-11-24T03:00:00Z');
		const second = startModuleAttempt(db, user, moduleId, t1);
		if (!second.ok) throw new Error();
		answerAll(
			second.attemptId,
			(s, i) => (i <= 2 ? wrongAnswer(s) : rightAnswer(s)),
			new Date(t1.getTime() + 60_000)
		);
		submitAttempt(db, user.id, second.attemptId, new Date(t1.getTime() + 120_000));
		const a2 = ownAttempt(db, user.id, second.attemptId)!;
		expect(a2.correct).toBe(a2.total - 2);
		expect(a2.points).toBe(0); // first pass and perfect were paid already
		expect(
			db
				.select()
				.from(pointsLedger)
				.all()
				.map((r) => [r.rule, r.points])
		).toEqual([
			['quiz_first_pass', 5],
			['quiz_perfect', 2]
		]);
		expect(db.select().from(wrongBook).where(eq(wrongBook.userId, user.id)).all()).toHaveLength(2);
		// Grading by highest attempt.
		expect(moduleQuizzes(db, user).find((q) => q.slug === 'whole-process-democracy')).toMatchObject({
			best: 100,
			passed: true,
			used: 2
		});
	});

	it('submitting twice, or twice at the same moment, gives one result and one award', async () => {
		const t0 = new Date('2026-11-24T02:00:00Z');
		const start = startModuleAttempt(db, user, moduleId, t0);
		if (!start.ok) throw new Error();
		answerAll(start.attemptId, (s) => rightAnswer(s), new Date(t0.getTime() + 30_000));
		const at = new Date(t0.getTime() + 90_000);
		const results = await Promise.all(
			[1, 2, 3].map(async () => submitAttempt(db, user.id, start.attemptId, at))
		);
		expect(results.filter((r) => r.ok && !r.already)).toHaveLength(1);
		expect(submitAttempt(db, user.id, start.attemptId, new Date(at.getTime() + 5000))).toMatchObject({
			ok: true,
			already: true
		});
		expect(db.select().from(pointsLedger).all()).toHaveLength(2);
		const row = ownAttempt(db, user.id, start.attemptId)!;
		expect(row.submittedAt!.getTime()).toBe(at.getTime());
	});

	it('after the deadline plus grace the attempt is closed with what was saved; later answers and submissions are refused', () => {
		const t0 = new Date('2026-11-24T02:00:00Z');
		const start = startModuleAttempt(db, user, moduleId, t0);
		if (!start.ok) throw new Error();
		const attempt = ownAttempt(db, user.id, start.attemptId)!;
		const list = items(db, start.attemptId);
		saveAnswer(
			db,
			user.id,
			start.attemptId,
			1,
			{ response: rightAnswer(list[0]!.snapshot) },
			new Date(t0.getTime() + 10_000)
		);
		// Within the grace period an answer still counts.
		const inGrace = new Date(attempt.deadline.getTime() + GRACE_MS - 1000);
		expect(
			saveAnswer(db, user.id, start.attemptId, 2, { response: rightAnswer(list[1]!.snapshot) }, inGrace)
		).toEqual({ ok: true });
		const late = new Date(attempt.deadline.getTime() + GRACE_MS + 1000);
		expect(
			saveAnswer(db, user.id, start.attemptId, 3, { response: rightAnswer(list[2]!.snapshot) }, late)
		).toMatchObject({ ok: false, reason: 'late' });
		const closed = ownAttempt(db, user.id, start.attemptId)!;
		expect(closed).toMatchObject({ autoSubmitted: true, correct: 2 });
		expect(closed.submittedAt!.getTime()).toBe(attempt.deadline.getTime());
		expect(saveAnswer(db, user.id, start.attemptId, 3, { response: 0 }, late)).toMatchObject({
			ok: false,
			reason: 'closed'
		});
		expect(submitAttempt(db, user.id, start.attemptId, late)).toMatchObject({ ok: true, already: true });
	});

	it('a submission after the deadline (the countdown reaching zero) is recorded as time running out, not as the cadre handing in', () => {
		const t0 = new Date('2026-11-24T02:00:00Z');
		const start = startModuleAttempt(db, user, moduleId, t0);
		if (!start.ok) throw new Error();
		const attempt = ownAttempt(db, user.id, start.attemptId)!;
		const list = items(db, start.attemptId);
		saveAnswer(
			db,
			user.id,
			start.attemptId,
			1,
			{ response: rightAnswer(list[0]!.snapshot) },
			new Date(t0.getTime() + 10_000)
		);
		const atZero = new Date(attempt.deadline.getTime() + 2000);
		expect(submitAttempt(db, user.id, start.attemptId, atZero)).toMatchObject({ ok: true, late: false });
		const closed = ownAttempt(db, user.id, start.attemptId)!;
		expect(closed).toMatchObject({ autoSubmitted: true, correct: 1 });
		expect(closed.submittedAt!.getTime()).toBe(attempt.deadline.getTime());
		// Handed in before the deadline: the cadre's own submission.
		const again = startModuleAttempt(db, user, moduleId, new Date(t0.getTime() + 3_600_000));
		if (!again.ok) throw new Error();
		submitAttempt(db, user.id, again.attemptId, new Date(t0.getTime() + 3_700_000));
		expect(ownAttempt(db, user.id, again.attemptId)!.autoSubmitted).toBe(false);
	});

	it('the sweeper closes abandoned attempts', () => {
		const t0 = new Date('2026-11-24T02:00:00Z');
		const start = startModuleAttempt(db, user, moduleId, t0);
		if (!start.ok) throw new Error();
		expect(finaliseOverdue(db, new Date(t0.getTime() + 5 * 60_000))).toBe(0);
		expect(finaliseOverdue(db, new Date(t0.getTime() + 60 * 60_000))).toBe(1);
		expect(ownAttempt(db, user.id, start.attemptId)!.autoSubmitted).toBe(true);
	});

	it("another user's attempt can be neither read, answered nor submitted", () => {
		const start = startModuleAttempt(db, user, moduleId);
		if (!start.ok) throw new Error();
		expect(ownAttempt(db, other.id, start.attemptId)).toBeUndefined();
		expect(saveAnswer(db, other.id, start.attemptId, 1, { response: 0 })).toMatchObject({
			ok: false,
			reason: 'missing'
		});
		expect(submitAttempt(db, other.id, start.attemptId)).toEqual({
			ok: false,
			message: '没有找到这次答题，或您无权查看'
		});
		expect(ownAttempt(db, user.id, start.attemptId)!.submittedAt).toBeNull();
	});

	it('flags an attempt finished in under 2 seconds a question, without touching its score', () => {
		const t0 = new Date('2026-11-24T02:00:00Z');
		const start = startModuleAttempt(db, user, moduleId, t0);
		if (!start.ok) throw new Error();
		answerAll(start.attemptId, (s) => rightAnswer(s), new Date(t0.getTime() + 3000));
		submitAttempt(db, user.id, start.attemptId, new Date(t0.getTime() + 5000));
		expect(ownAttempt(db, user.id, start.attemptId)).toMatchObject({
			flaggedFast: true,
			percent: 100,
			points: 7
		});
	});

	it('enforces the number of attempts allowed, and validates settings edits', () => {
		expect(
			saveQuizSettings(db, SYSADMIN, moduleId, {
				draw: '30',
				timeLimitMinutes: '10',
				passMark: '60',
				attemptsAllowed: '1'
			})
		).toMatchObject({ ok: false, errors: { draw: expect.stringContaining('题库只有') } });
		expect(
			saveQuizSettings(db, SYSADMIN, moduleId, {
				draw: '0',
				timeLimitMinutes: 'x',
				passMark: '200',
				attemptsAllowed: '-1'
			})
		).toMatchObject({ ok: false });
		expect(
			saveQuizSettings(db, SYSADMIN, moduleId, {
				draw: '5',
				timeLimitMinutes: '10',
				passMark: '60',
				attemptsAllowed: '1',
				shuffleQuestions: 'on'
			})
		).toEqual({ ok: true });
		const first = startModuleAttempt(db, user, moduleId);
		if (!first.ok) throw new Error();
		expect(items(db, first.attemptId)).toHaveLength(5);
		submitAttempt(db, user.id, first.attemptId);
		expect(startModuleAttempt(db, user, moduleId)).toEqual({
			ok: false,
			message: '本测验最多可作答 1 次，您的次数已用完'
		});
	});
});

describe('daily practice', () => {
	it('is once per Shanghai day, five questions from started modules, 1 point a correct answer, with a streak', () => {
		// 23:50 in Shanghai on the 24th.
		const evening = new Date(Date.UTC(2026, 10, 24, 15, 50));
		const first = startDailyPractice(db, user, evening);
		if (!first.ok) throw new Error();
		const list = items(db, first.attemptId);
		expect(list).toHaveLength(5);
		answerAll(
			first.attemptId,
			(s, i) => (i <= 3 ? rightAnswer(s) : wrongAnswer(s)),
			new Date(evening.getTime() + 60_000)
		);
		submitAttempt(db, user.id, first.attemptId, new Date(evening.getTime() + 120_000));
		expect(ownAttempt(db, user.id, first.attemptId)).toMatchObject({ correct: 3, points: 3 });
		// Later the same Shanghai day: the same attempt, no new one.
		expect(startDailyPractice(db, user, new Date(evening.getTime() + 5 * 60_000))).toMatchObject({
			attemptId: first.attemptId,
			resumed: true
		});
		// After Shanghai midnight (16:00 UTC): a new day, a new practice, streak 2 after submitting.
		const morning = new Date(Date.UTC(2026, 10, 25, 0, 30));
		const second = startDailyPractice(db, user, morning);
		if (!second.ok) throw new Error();
		expect(second.attemptId).not.toBe(first.attemptId);
		submitAttempt(db, user.id, second.attemptId, new Date(morning.getTime() + 60_000));
		expect(dailyStatus(db, user.id, morning).streak).toBe(2);
		expect(db.select().from(attempts).where(eq(attempts.kind, 'daily')).all()).toHaveLength(2);
	});

	it('draws only from modules the cadre has started reading', async () => {
		const { openLesson } = await import('../../src/lib/server/learning/progress');
		const { lessons } = await import('../../src/lib/server/db/schema');
		const lesson = db.select().from(lessons).where(eq(lessons.moduleId, moduleId)).get()!;
		openLesson(db, user.id, lesson.id);
		const start = startDailyPractice(db, user);
		if (!start.ok) throw new Error();
		expect(items(db, start.attemptId).every((i) => i.snapshot.moduleId === moduleId)).toBe(true);
	});
});

describe('what quiz pages call things', () => {
	it('an attempt is headed by its module’s title, a daily practice by 每日一练', () => {
		const mod = db.select().from(modules).where(eq(modules.id, moduleId)).get()!;
		const start = startModuleAttempt(db, user, moduleId);
		if (!start.ok) throw new Error(start.message);
		expect(attemptHeading(db, ownAttempt(db, user.id, start.attemptId)!)).toEqual({
			title: mod.title,
			moduleSlug: mod.slug
		});
		const daily = startDailyPractice(db, user);
		if (!daily.ok) throw new Error(daily.message);
		expect(attemptHeading(db, ownAttempt(db, user.id, daily.attemptId)!)).toEqual({
			title: '每日一练',
			moduleSlug: null
		});
	});

	it('the 党校 quiz list has every live module with its settings and the size of its bank', () => {
		const list = quizModules(db);
		const live = db
			.select()
			.from(modules)
			.all()
			.filter((m) => m.archivedAt === null);
		expect(list.map((m) => m.slug).sort()).toEqual(live.map((m) => m.slug).sort());
		const bank = db
			.select()
			.from(questions)
			.where(eq(questions.moduleId, moduleId))
			.all()
			.filter((q) => q.archivedAt === null).length;
		expect(bank).toBeGreaterThan(0);
		expect(list.find((m) => m.id === moduleId)).toMatchObject({
			bank,
			settings: { moduleId, draw: getQuizSettings(db, moduleId)!.draw }
		});
	});
});
