import { beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDb, addUser, seedTree } from '../helpers/db';
import { syncContent } from '../../src/lib/server/content/sync';
import { questions } from '../../src/lib/server/db/schema';
import {
	dueCount,
	getEntry,
	listBook,
	recordWrong,
	removeFromBook,
	HARD_AFTER_MISSES
} from '../../src/lib/server/quiz/wrongbook';
import { answerReview, nextReview } from '../../src/lib/server/quiz/review';
import { hardPoints } from '../../src/lib/server/quiz/overview';
import type { Db } from '../../src/lib/server/db';

let db: Db;
let userId: number;
let tree: ReturnType<typeof seedTree>;
let q: typeof questions.$inferSelect;
const DAY = 86_400_000;

beforeEach(async () => {
	db = testDb();
	syncContent(db, 'content');
	tree = seedTree(db);
	userId = (await addUser(db, { username: 'learner', officeId: tree.lishi.id })).id;
	q = db.select().from(questions).where(eq(questions.type, 'single')).get()!;
});

const right = () => Number(q.answer);
const wrong = () => (Number(q.answer) + 1) % (JSON.parse(q.options) as string[]).length;

describe('the wrong-answer book with FSRS', () => {
	it('a wrong answer enters the book, due at once, shown without its answer', () => {
		const t0 = new Date('2026-11-01T02:00:00Z');
		recordWrong(db, userId, q.id, t0);
		expect(dueCount(db, userId, t0)).toBe(1);
		const next = nextReview(db, userId, t0)!;
		expect(next.questionId).toBe(q.id);
		expect(JSON.stringify(next)).not.toMatch(/answer|explanation/);
	});

	it('a right review moves the due date out, further each time; a wrong one brings it back soon', () => {
		let now = new Date('2026-11-01T02:00:00Z');
		recordWrong(db, userId, q.id, now);
		const dues: number[] = [];
		for (let i = 0; i < 3; i++) {
			const r = answerReview(db, userId, q.id, right(), now);
			if (!r.ok) throw new Error(r.message);
			expect(r.correct).toBe(true);
			expect(r.due.getTime()).toBeGreaterThan(now.getTime());
			dues.push(r.due.getTime() - now.getTime());
			now = new Date(r.due.getTime() + 1000);
		}
		expect(dues[2]!).toBeGreaterThan(dues[0]!);
		const missed = answerReview(db, userId, q.id, wrong(), now);
		if (!missed.ok) throw new Error(missed.message);
		expect(missed.correct).toBe(false);
		expect(missed.due.getTime() - now.getTime()).toBeLessThan(dues[2]!);
		expect(getEntry(db, userId, q.id)!.wrongCount).toBe(2);
	});

	it('a question not yet due, or not in the book, cannot be reviewed', () => {
		const now = new Date('2026-11-01T02:00:00Z');
		expect(answerReview(db, userId, q.id, right(), now)).toMatchObject({ ok: false });
		recordWrong(db, userId, q.id, now);
		answerReview(db, userId, q.id, right(), now);
		expect(answerReview(db, userId, q.id, right(), new Date(now.getTime() + 1000))).toEqual({
			ok: false,
			message: '这道题还没到复习时间'
		});
	});

	it('retires a question once it is answered right with long enough stability', () => {
		let now = new Date('2026-01-01T02:00:00Z');
		recordWrong(db, userId, q.id, now);
		let retired = false;
		for (let i = 0; i < 12 && !retired; i++) {
			const r = answerReview(db, userId, q.id, right(), now);
			if (!r.ok) throw new Error(r.message);
			retired = r.retired;
			now = new Date(r.due.getTime() + 1000);
		}
		expect(retired).toBe(true);
		expect(listBook(db, userId)).toHaveLength(0);
		expect(dueCount(db, userId, new Date(now.getTime() + 365 * DAY))).toBe(0);
	});

	it('after 8 misses a question is a hard point, listed for the admins of that office only', async () => {
		const now = new Date('2026-11-01T02:00:00Z');
		for (let i = 0; i < HARD_AFTER_MISSES - 1; i++) recordWrong(db, userId, q.id, now);
		expect(getEntry(db, userId, q.id)!.hard).toBe(false);
		recordWrong(db, userId, q.id, now);
		expect(getEntry(db, userId, q.id)!.hard).toBe(true);
		expect(hardPoints(db, [tree.lishi.id])).toMatchObject([{ questionId: q.id, members: 1, misses: 8 }]);
		expect(hardPoints(db, [tree.xiaoyi.id])).toEqual([]);
	});

	it('can be removed by hand, and comes back if missed again', () => {
		const now = new Date('2026-11-01T02:00:00Z');
		recordWrong(db, userId, q.id, now);
		expect(removeFromBook(db, userId, q.id, now)).toBe(true);
		expect(listBook(db, userId)).toHaveLength(0);
		expect(dueCount(db, userId, now)).toBe(0);
		expect(removeFromBook(db, userId, q.id, now)).toBe(false);
		recordWrong(db, userId, q.id, new Date(now.getTime() + DAY));
		expect(listBook(db, userId)).toHaveLength(1);
		expect(getEntry(db, userId, q.id)!.wrongCount).toBe(2);
	});
});
