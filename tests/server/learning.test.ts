import { beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { testDb, addUser, seedTree } from '../helpers/db';
import { createDb, migrateDb, type Db } from '../../src/lib/server/db';
import { syncContent } from '../../src/lib/server/content/sync';
import { minReadSeconds, MIN_READ_SECONDS, MAX_READ_SECONDS } from '../../src/lib/server/content/render';
import { completeLesson, openLesson, studyStreak } from '../../src/lib/server/learning/progress';
import { continueTarget, moduleCards } from '../../src/lib/server/learning/catalog';
import { sumPoints, totalPoints } from '../../src/lib/server/points/ledger';
import { lessons, modules, pointsLedger } from '../../src/lib/server/db/schema';

let db: Db;
let user: { id: number; officeId: number | null };

function allLessons() {
	return db
		.select({ id: lessons.id, minReadSeconds: lessons.minReadSeconds, moduleId: lessons.moduleId })
		.from(lessons)
		.innerJoin(modules, eq(modules.id, lessons.moduleId))
		.orderBy(asc(modules.sortOrder), asc(lessons.sortOrder))
		.all();
}

/** Opens a lesson at `at` and completes it once its reading time has passed. */
function study(lessonId: number, at: Date) {
	const l = db.select().from(lessons).where(eq(lessons.id, lessonId)).get()!;
	openLesson(db, user.id, lessonId, new Date(at.getTime() - l.minReadSeconds * 1000));
	return completeLesson(db, user, lessonId, at);
}

beforeEach(async () => {
	db = testDb();
	syncContent(db, 'content');
	const office = seedTree(db).lishi;
	const u = await addUser(db, { username: 'reader', officeId: office.id });
	user = { id: u.id, officeId: office.id };
});

describe('reading time', () => {
	it('grows with the lesson length, within bounds', () => {
		expect(minReadSeconds(50)).toBe(MIN_READ_SECONDS);
		expect(minReadSeconds(1200)).toBe(120);
		expect(minReadSeconds(100_000)).toBe(MAX_READ_SECONDS);
		for (const l of allLessons()) expect(l.minReadSeconds).toBeGreaterThanOrEqual(MIN_READ_SECONDS);
	});

	it('refuses completion before the minimum reading time, saying how long is left, and accepts it after', () => {
		const lesson = allLessons()[0]!;
		const opened = new Date('2026-11-24T02:00:00Z');
		openLesson(db, user.id, lesson.id, opened);
		const early = completeLesson(db, user, lesson.id, new Date(opened.getTime() + 10_000));
		expect(early).toEqual({ ok: false, reason: 'too-early', secondsLeft: lesson.minReadSeconds - 10 });
		expect(db.select().from(pointsLedger).all()).toHaveLength(0);
		// Re-opening the page does not restart the clock.
		openLesson(db, user.id, lesson.id, new Date(opened.getTime() + 20_000));
		const onTime = completeLesson(
			db,
			user,
			lesson.id,
			new Date(opened.getTime() + lesson.minReadSeconds * 1000)
		);
		expect(onTime).toEqual({ ok: true, alreadyDone: false, awarded: 1, capped: false });
	});

	it('a completion with no recorded opening starts the clock instead of counting', () => {
		const lesson = allLessons()[0]!;
		const r = completeLesson(db, user, lesson.id, new Date());
		expect(r.ok).toBe(false);
	});

	it('an unknown or archived lesson cannot be completed', () => {
		expect(completeLesson(db, user, 999_999)).toEqual({ ok: false, reason: 'missing' });
	});
});

describe('lesson points', () => {
	it('repeated completion pays once', () => {
		const lesson = allLessons()[0]!;
		const at = new Date('2026-11-24T02:00:00Z');
		expect(study(lesson.id, at)).toMatchObject({ ok: true, awarded: 1 });
		for (let i = 1; i <= 3; i++) {
			expect(completeLesson(db, user, lesson.id, new Date(at.getTime() + i * 1000))).toMatchObject({
				ok: true,
				alreadyDone: true,
				awarded: 0
			});
		}
		expect(db.select().from(pointsLedger).all()).toHaveLength(1);
	});

	it('two connections completing the same lesson (two server processes) pay once', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'race-'));
		try {
			const path = join(dir, 'app.db');
			const a = createDb(path);
			migrateDb(a);
			syncContent(a, 'content');
			const office = seedTree(a).lishi;
			const u = await addUser(a, { username: 'racer', officeId: office.id });
			const b = createDb(path);
			const lessonId = a.select().from(lessons).get()!.id;
			const minRead = a.select().from(lessons).where(eq(lessons.id, lessonId)).get()!.minReadSeconds;
			const t0 = new Date('2026-11-24T02:00:00Z');
			openLesson(a, u.id, lessonId, t0);
			const later = new Date(t0.getTime() + minRead * 1000);
			const results = await Promise.all(
				[a, b, a, b].map(async (conn) =>
					completeLesson(conn, { id: u.id, officeId: office.id }, lessonId, later)
				)
			);
			expect(results.filter((r) => r.ok && !r.alreadyDone)).toHaveLength(1);
			expect(b.select().from(pointsLedger).all()).toHaveLength(1);
			a.$client.close();
			b.$client.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('caps lesson points at 6 per Shanghai day, and the cap resets at Shanghai midnight (16:00 UTC)', () => {
		const list = allLessons();
		// 23:00 to 23:40 in Shanghai on 24 November = 15:00–15:40 UTC.
		const evening = (i: number) => new Date(Date.UTC(2026, 10, 24, 15, i * 5));
		const results = list.slice(0, 8).map((l, i) => study(l.id, evening(i)));
		expect(results.map((r) => (r.ok ? r.awarded : -1))).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
		expect(results[6]).toMatchObject({ ok: true, capped: true });
		expect(sumPoints(db, user.id, '2026-11-24')).toBe(6);
		// 00:05 Shanghai on the 25th is still the 24th in UTC.
		const afterMidnight = study(list[8]!.id, new Date(Date.UTC(2026, 10, 24, 16, 5)));
		expect(afterMidnight).toMatchObject({ ok: true, awarded: 1 });
		expect(sumPoints(db, user.id, '2026-11-25')).toBe(1);
		expect(totalPoints(db, user.id)).toBe(7);
		// Every point is a ledger row with its rule, reason and day.
		const rows = db.select().from(pointsLedger).all();
		expect(
			rows.every(
				(r) =>
					r.rule === 'lesson_complete' && r.reason.startsWith('完成课程《') && r.officeId === user.officeId
			)
		).toBe(true);
	});
});

describe('streaks and the catalog', () => {
	it('counts consecutive Shanghai days with a completed lesson, up to today or yesterday', () => {
		const list = allLessons();
		const day = (d: number, hourUtc = 2) => new Date(Date.UTC(2026, 10, d, hourUtc));
		study(list[0]!.id, day(20));
		study(list[1]!.id, day(22));
		study(list[2]!.id, day(23));
		// 23:30 Shanghai on the 24th (15:30 UTC).
		study(list[3]!.id, new Date(Date.UTC(2026, 10, 24, 15, 30)));
		expect(studyStreak(db, user.id, new Date(Date.UTC(2026, 10, 24, 15, 45)))).toBe(3);
		// Next Shanghai morning, before studying: still 3.
		expect(studyStreak(db, user.id, new Date(Date.UTC(2026, 10, 25, 1)))).toBe(3);
		// A day missed: gone.
		expect(studyStreak(db, user.id, new Date(Date.UTC(2026, 10, 26, 1)))).toBe(0);
	});

	it('shows module status and resumes at the first unfinished lesson of the module last worked on', () => {
		expect(moduleCards(db, user).every((c) => c.status === 'not-started')).toBe(true);
		expect(continueTarget(db, user)?.href).toMatch(/^\/learn\/congress-theme\/ct-/);
		const second = moduleCards(db, user)[1]!;
		const inSecond = allLessons().filter((l) => l.moduleId === second.id);
		study(inSecond[0]!.id, new Date('2026-11-24T02:00:00Z'));
		const cards = moduleCards(db, user);
		expect(cards[1]).toMatchObject({ status: 'in-progress', doneCount: 1 });
		const target = continueTarget(db, user)!;
		expect(target.slug).toBe(second.slug);
		const nextLesson = db.select().from(lessons).where(eq(lessons.id, inSecond[1]!.id)).get()!;
		expect(target.href).toBe(`/learn/${second.slug}/${nextLesson.slug}`);
		for (const l of inSecond.slice(1)) study(l.id, new Date('2026-11-25T02:00:00Z'));
		expect(moduleCards(db, user)[1]!.status).toBe('done');
	});
});
