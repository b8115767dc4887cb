import { beforeEach, describe, expect, it } from 'vitest';
import { testDb, addUser, seedTree, SYSADMIN } from '../helpers/db';
import { syncContent } from '../../src/lib/server/content/sync';
import {
	advance,
	answerLive,
	createLive,
	getLive,
	hostedLive,
	joinedLive,
	joinLive,
	liveState,
	BASE_SCORE
} from '../../src/lib/server/live';
import { modules, pointsLedger } from '../../src/lib/server/db/schema';
import type { QuestionSnapshot, Response } from '../../src/lib/server/quiz/questions';
import type { Db } from '../../src/lib/server/db';

let db: Db;
let tree: ReturnType<typeof seedTree>;
let host: { id: number; name: string; role: 'office_admin'; officeId: number };
let p1: { id: number; officeId: number };
let p2: { id: number; officeId: number };
let outsider: { id: number; officeId: number };

beforeEach(async () => {
	db = testDb();
	syncContent(db, 'content');
	tree = seedTree(db);
	host = {
		id: (await addUser(db, { username: 'host', role: 'office_admin', officeId: tree.lishi.id })).id,
		name: '主持人',
		role: 'office_admin',
		officeId: tree.lishi.id
	};
	p1 = { id: (await addUser(db, { username: 'p1', officeId: tree.lishi.id })).id, officeId: tree.lishi.id };
	p2 = { id: (await addUser(db, { username: 'p2', officeId: tree.lishi.id })).id, officeId: tree.lishi.id };
	outsider = {
		id: (await addUser(db, { username: 'x', officeId: tree.xiaoyi.id })).id,
		officeId: tree.xiaoyi.id
	};
});

function start(speedBonus = true) {
	const moduleId = db.select().from(modules).get()!.id;
	const r = createLive(db, host, { moduleId, count: 3, seconds: 20, speedBonus });
	if (!r.ok) throw new Error(JSON.stringify(r.errors));
	return r;
}
const current = (id: number): QuestionSnapshot => {
	const live = getLive(db, id)!;
	return (JSON.parse(live.questions) as QuestionSnapshot[])[live.currentIndex]!;
};
const right = (s: QuestionSnapshot): Response =>
	s.type === 'fill' ? (s.answer as string[][]).map((a) => a[0]!) : (s.answer as Response);
const wrong = (s: QuestionSnapshot): Response =>
	s.type === 'single'
		? ((s.answer as number) + 1) % s.options.length
		: s.type === 'truefalse'
			? !s.answer
			: s.type === 'multiple'
				? [0]
				: ['错'];

describe('live quiz', () => {
	it('only the office roster joins, each person once', () => {
		const { id, pin } = start();
		expect(joinLive(db, p1, pin)).toEqual({ ok: true, id, already: false });
		expect(joinLive(db, p1, pin)).toEqual({ ok: true, id, already: true });
		expect(joinLive(db, outsider, pin)).toEqual({ ok: false, message: '这场现场答题只面向本单位成员' });
		expect(joinLive(db, p2, '12')).toMatchObject({ ok: false });
		expect(liveState(db, id, null)!.players).toBe(1);
	});

	it('scores on the server: accuracy first with a small speed bonus; late answers and second answers are refused', () => {
		const { id, pin } = start();
		joinLive(db, p1, pin);
		joinLive(db, p2, pin);
		const t0 = new Date();
		advance(db, host, id, 'next', t0);
		const q = current(id);
		// The running question reaches phones without its key.
		expect(JSON.stringify(liveState(db, id, p1.id)!.question)).not.toMatch(/answer|explanation/);
		expect(answerLive(db, p1, id, right(q), new Date(t0.getTime() + 2000))).toEqual({ ok: true });
		expect(answerLive(db, p1, id, right(q), new Date(t0.getTime() + 3000))).toEqual({
			ok: false,
			message: '本题您已经作答过了'
		});
		expect(answerLive(db, p2, id, right(q), new Date(t0.getTime() + 25_000))).toEqual({
			ok: false,
			message: '本题作答时间已到'
		});
		expect(answerLive(db, outsider, id, right(q), new Date(t0.getTime() + 1000))).toMatchObject({
			ok: false
		});
		advance(db, host, id, 'reveal');
		const revealed = liveState(db, id, p1.id)!;
		expect(revealed.me).toMatchObject({ score: BASE_SCORE + 180, correct: true });
		expect(revealed.reveal?.right).toBe(1);
		advance(db, host, id, 'next', new Date(t0.getTime() + 30_000));
		const q2 = current(id);
		answerLive(db, p1, id, wrong(q2), new Date(t0.getTime() + 31_000));
		answerLive(db, p2, id, right(q2), new Date(t0.getTime() + 49_000));
		advance(db, host, id, 'finish');
		const final = liveState(db, id, p2.id)!;
		expect(final.phase).toBe('finished');
		expect(final.ranking!.map((r) => r.userId)).toEqual([p1.id, p2.id]);
		expect(final.me?.rank).toBe(2);
		// Points go to the ledger under their own rule: one per right answer.
		expect(
			db
				.select()
				.from(pointsLedger)
				.all()
				.map((r) => [r.userId, r.rule, r.points])
				.sort()
		).toEqual(
			[
				[p1.id, 'live_quiz', 1],
				[p2.id, 'live_quiz', 1]
			].sort()
		);
	});

	it('without the speed bonus only accuracy counts', () => {
		const { id, pin } = start(false);
		joinLive(db, p1, pin);
		const t0 = new Date();
		advance(db, host, id, 'next', t0);
		answerLive(db, p1, id, right(current(id)), new Date(t0.getTime() + 1000));
		expect(liveState(db, id, p1.id)!.me?.score).toBe(BASE_SCORE);
	});

	it('validates the setup and refuses a host of another office', () => {
		expect(createLive(db, host, { moduleId: 0, count: 99, seconds: 1, speedBonus: true })).toMatchObject({
			ok: false,
			errors: { moduleId: expect.any(String), count: expect.any(String), seconds: expect.any(String) }
		});
		const { id } = start();
		expect(
			advance(db, { id: 0, name: '他人', role: 'office_admin', officeId: tree.xiaoyi.id }, id, 'next')
		).toEqual({ ok: false, message: '没有找到这场现场答题，或不在您的管理范围内' });
	});
});

describe('hand-picked live quiz', () => {
	it('uses exactly the questions picked, in that order', async () => {
		const { questions } = await import('../../src/lib/server/db/schema');
		const ids = db
			.select({ id: questions.id })
			.from(questions)
			.all()
			.slice(3, 6)
			.map((q) => q.id)
			.reverse();
		const r = createLive(db, host, {
			moduleId: 0,
			count: 0,
			seconds: 15,
			speedBonus: false,
			questionIds: ids
		});
		if (!r.ok) throw new Error(JSON.stringify(r.errors));
		const keys = (JSON.parse(getLive(db, r.id)!.questions) as QuestionSnapshot[]).map((q) => q.key);
		const expected = ids.map(
			(id) =>
				db
					.select()
					.from(questions)
					.all()
					.find((q) => q.id === id)!.key
		);
		expect(keys).toEqual(expected);
		expect(
			createLive(db, host, { moduleId: 0, count: 0, seconds: 15, speedBonus: false, questionIds: [999_999] })
		).toMatchObject({ ok: false, errors: { questionIds: '所选题目不存在或已下线' } });
	});
});

describe('who may follow a live quiz', () => {
	it('its hosts are the admins who manage its office; its players are those who joined', async () => {
		const { id, pin } = start();
		const xiaoyiAdmin = {
			id: (await addUser(db, { username: 'xiaoyi.admin', role: 'office_admin', officeId: tree.xiaoyi.id }))
				.id,
			name: '孝义管理员',
			role: 'office_admin' as const,
			officeId: tree.xiaoyi.id
		};
		expect(hostedLive(db, host, id)?.id).toBe(id);
		expect(hostedLive(db, SYSADMIN, id)?.id).toBe(id);
		expect(hostedLive(db, xiaoyiAdmin, id)).toBeUndefined();
		expect(hostedLive(db, { id: p1.id, role: 'cadre', officeId: p1.officeId }, id)).toBeUndefined();
		expect(joinedLive(db, p1.id, id)).toBeUndefined();
		joinLive(db, p1, pin);
		expect(joinedLive(db, p1.id, id)?.id).toBe(id);
		expect(joinedLive(db, p2.id, id)).toBeUndefined();
		// Another office's admin cannot move it on.
		expect(advance(db, xiaoyiAdmin, id, 'next')).toEqual({
			ok: false,
			message: '没有找到这场现场答题，或不在您的管理范围内'
		});
		expect(getLive(db, id)!.phase).toBe('lobby');
	});
});
