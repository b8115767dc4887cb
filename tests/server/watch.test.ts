// Watch time of audio/video lessons is decided on the server: only progress that real time allows
// counts, the lesson completes at 90 % through the same path as reading, and the learner resumes
// where they stopped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addUser, seedTree, testDb } from '../helpers/db';
import { writePack } from '../helpers/pack';
import { createDb, type Db } from '../../src/lib/server/db';
import {
	lessonProgress,
	lessons,
	media,
	modules,
	pointsLedger,
	watchProgress
} from '../../src/lib/server/db/schema';
import { syncContent } from '../../src/lib/server/content/sync';
import { completeLesson, studyStreak } from '../../src/lib/server/learning/progress';
import {
	addStretch,
	coveredSeconds,
	lessonPlayer,
	reportWatch,
	step,
	WATCH_TOLERANCE_SECONDS,
	watchedLesson,
	watchState,
	type WatchedLesson
} from '../../src/lib/server/learning/watch';

let db: Db;
let tree: ReturnType<typeof seedTree>;
let user: { id: number; officeId: number | null };
let lesson: WatchedLesson;
let packDir: string;

const T0 = new Date('2026-11-24T02:00:00Z').getTime();
/** An instant `seconds` after T0. */
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const DURATION = 100;

beforeEach(async () => {
	db = testDb();
	const pack = writePack();
	packDir = pack.dir;
	syncContent(db, pack.dir);
	tree = seedTree(db);
	const u = await addUser(db, { username: 'watcher', officeId: tree.lishi.id, name: '李观看' });
	user = { id: u.id, officeId: tree.lishi.id };
	const file = db
		.insert(media)
		.values({
			sha256: 'a'.repeat(64),
			kind: 'video',
			mime: 'video/mp4',
			size: 123_456,
			fileName: '讲座.mp4',
			durationSeconds: DURATION,
			uploadedBy: u.id,
			uploadedAt: at(-3600)
		})
		.returning()
		.get();
	db.update(lessons)
		.set({ kind: 'video', mediaId: file.id, durationSeconds: DURATION })
		.where(eq(lessons.slug, 'lesson-one'))
		.run();
	const found = watchedLesson(db, user, 'demo', 'lesson-one');
	if (!found.ok) throw new Error(found.message);
	lesson = found.lesson;
});

afterEach(() => rmSync(packDir, { recursive: true, force: true }));

/** One report of `position` at `seconds` after T0. */
const report = (position: unknown, seconds: number, who = user) =>
	reportWatch(db, who, lesson, { position }, at(seconds));

const row = () =>
	db
		.select()
		.from(watchProgress)
		.where(and(eq(watchProgress.userId, user.id), eq(watchProgress.lessonId, lesson.id)))
		.get();

const ledger = () => db.select().from(pointsLedger).where(eq(pointsLedger.userId, user.id)).all();

/** Honest watching: a report every `every` seconds of real time, the position moving as fast. */
function watchHonestly(from: number, to: number, startSeconds: number, every = 10) {
	let last;
	for (let p = from, t = startSeconds; p <= to; p += every, t += every) last = report(p, t);
	return last!;
}

describe('honest watching', () => {
	it('credits what was played in real time and completes the lesson at 90 %, paying the point once', () => {
		expect(report(0, 0)).toMatchObject({ ok: true, position: 0, watchedPercent: 0, completed: false });
		const at80 = watchHonestly(10, 80, 10);
		expect(at80).toMatchObject({ ok: true, position: 80, watchedPercent: 80, completed: false });
		expect(ledger()).toHaveLength(0);
		const at90 = report(90, 90);
		expect(at90).toEqual({
			ok: true,
			position: 90,
			watchedPercent: 90,
			completed: true,
			justCompleted: true,
			awarded: 1,
			capped: false
		});
		// The same completion as reading: the progress row, the ledger row with its key, the streak.
		const progress = db
			.select()
			.from(lessonProgress)
			.where(and(eq(lessonProgress.userId, user.id), eq(lessonProgress.lessonId, lesson.id)))
			.get()!;
		expect(progress.completedAt).toEqual(at(90));
		expect(progress.completedDay).toBe('2026-11-24');
		expect(ledger().map((r) => r.idempotencyKey)).toEqual([`lesson:${user.id}:${lesson.id}`]);
		expect(studyStreak(db, user.id, at(90))).toBe(1);
	});

	it('counts pauses and short reports between the periodic ones', () => {
		report(0, 0);
		report(10, 10);
		report(14.5, 14.5); // paused
		report(14.5, 300); // played again five minutes later
		expect(report(24.5, 310)).toMatchObject({ watchedPercent: 24 });
		expect(row()!.watchedSeconds).toBe(24.5);
	});

	it('forgives a report that arrives a little early or late (network jitter), without adding it up', () => {
		report(0, 0);
		report(10, 12); // late
		report(20, 19); // early: 10 s of video in 7 s, within the tolerance
		report(30, 30);
		expect(row()!.watchedSeconds).toBe(30);
	});
});

describe('what earns nothing', () => {
	it('seeking ahead earns nothing, and watching goes on from where the learner landed', () => {
		report(0, 0);
		report(10, 10);
		expect(report(70, 12)).toMatchObject({ ok: true, position: 70, watchedPercent: 10 });
		expect(row()!.positionSeconds).toBe(70);
		expect(report(80, 22)).toMatchObject({ watchedPercent: 20 });
		expect(JSON.parse(row()!.watched)).toEqual([
			[0, 10],
			[70, 80]
		]);
	});

	it('a jump to the end earns nothing however long the page was open without reports coming', () => {
		report(0, 0);
		// A seek to the end 20 s later: more than real time allows.
		expect(report(DURATION, 20)).toMatchObject({ watchedPercent: 0, completed: false });
		expect(ledger()).toHaveLength(0);
	});

	it('two tabs interleaving their reports earn at most the real time that passed', () => {
		report(0, 0);
		// Tab A plays from the start, tab B from 50, each reporting every 10 s, 5 s apart.
		for (let t = 5; t <= 45; t += 5) {
			const tabB = t % 10 === 5;
			report(tabB ? 50 + t : t, t);
		}
		expect(row()!.watchedSeconds).toBeLessThanOrEqual(45 + WATCH_TOLERANCE_SECONDS);
		// Here every report jumps away from the other tab's position: nothing counts at all.
		expect(row()!.watchedSeconds).toBe(0);
	});

	it('two tabs close together earn no more than one', () => {
		report(0, 0);
		// Tab B plays 2 s behind tab A; both report every 10 s, 1 s apart.
		for (let t = 10; t <= 60; t += 10) {
			report(t, t);
			report(t - 2 + 1, t + 1);
		}
		expect(row()!.watchedSeconds).toBeLessThanOrEqual(61 + WATCH_TOLERANCE_SECONDS);
	});

	it('a sped-up player (or a client clock running fast) earns nothing beyond real time', () => {
		report(0, 0);
		// Twice as fast: 20 s of video per 10 s of real time.
		for (let t = 10; t <= 50; t += 10) report(2 * t, t);
		expect(row()!.watchedSeconds).toBeLessThanOrEqual(50);
		expect(row()!.positionSeconds).toBe(100);
		expect(ledger()).toHaveLength(0);
	});

	it('many small reports each within the tolerance do not add the tolerance up', () => {
		report(0, 0);
		// Every second, four seconds further: 4× real time, each step "only" 3 s too many.
		for (let t = 1; t <= 20; t++) report(Math.min(DURATION, 4 * t), t);
		expect(row()!.watchedSeconds).toBeLessThanOrEqual(20 + WATCH_TOLERANCE_SECONDS);
	});

	it('whatever the reports, the credit never exceeds the real time since the first one', () => {
		// A fixed pseudo-random workload of positions and times (seeks, tabs, rates, pauses).
		let seed = 42;
		const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
		let t = 0;
		report(0, 0);
		for (let i = 0; i < 400; i++) {
			t += random() * 12;
			const current = row()!.positionSeconds;
			const position = random() < 0.2 ? random() * DURATION : current + random() * 15;
			report(Math.min(DURATION, Math.max(0, position)), t);
			expect(row()!.watchedSeconds).toBeLessThanOrEqual(t + WATCH_TOLERANCE_SECONDS + 1e-9);
		}
	});

	it('rewatching a part already credited adds nothing', () => {
		watchHonestly(0, 30, 0);
		report(0, 31); // back to the start
		const again = watchHonestly(10, 30, 41);
		expect(again).toMatchObject({ watchedPercent: 30 });
		expect(JSON.parse(row()!.watched)).toEqual([[0, 30]]);
		expect(row()!.watchedSeconds).toBe(30);
	});
});

describe('completion', () => {
	it('a completed lesson stays completed and pays once, however many reports follow', () => {
		watchHonestly(0, 90, 0);
		expect(ledger()).toHaveLength(1);
		for (const [p, t] of [
			[95, 95],
			[0, 100],
			[10, 110],
			[100, 111]
		] as const) {
			expect(report(p, t)).toMatchObject({ ok: true, completed: true, justCompleted: false, awarded: 0 });
		}
		expect(ledger()).toHaveLength(1);
		expect(watchState(db, user.id, lesson)).toMatchObject({ completed: true, position: 100 });
	});

	it('two server processes taking the completing report at once pay once', () => {
		const dir = mkdtempSync(join(tmpdir(), 'watch-race-'));
		try {
			// The test's database, written to a file that two connections open.
			const path = join(dir, 'app.db');
			db.$client.prepare('VACUUM INTO ?').run(path);
			const first = createDb(path);
			const second = createDb(path);
			reportWatch(first, user, lesson, { position: 0 }, at(0));
			for (let t = 10; t <= 80; t += 10)
				reportWatch(t % 20 ? first : second, user, lesson, { position: t }, at(t));
			const results = [first, second, first, second].map((conn) =>
				reportWatch(conn, user, lesson, { position: 90 }, at(90))
			);
			expect(results.filter((r) => r.ok && r.justCompleted)).toHaveLength(1);
			expect(results.every((r) => r.ok && r.completed)).toBe(true);
			expect(second.select().from(pointsLedger).where(eq(pointsLedger.userId, user.id)).all()).toHaveLength(
				1
			);
			first.$client.close();
			second.$client.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('an audio/video lesson cannot be completed by the reading path', () => {
		expect(completeLesson(db, user, lesson.id, at(10_000))).toEqual({ ok: false, reason: 'watch' });
		expect(ledger()).toHaveLength(0);
	});

	it('a report just short of 90 % does not complete', () => {
		watchHonestly(0, 80, 0);
		expect(report(89.9, 89.9)).toMatchObject({ watchedPercent: 89, completed: false });
		expect(ledger()).toHaveLength(0);
	});
});

describe('resuming', () => {
	it('stores the position, and the page starts the player there on any device', () => {
		expect(watchState(db, user.id, lesson)).toEqual({
			position: 0,
			resumeAt: 0,
			watchedSeconds: 0,
			watchedPercent: 0,
			completed: false
		});
		watchHonestly(0, 40, 0);
		report(42.25, 42.25);
		expect(watchState(db, user.id, lesson)).toEqual({
			position: 42.25,
			resumeAt: 42.25,
			watchedSeconds: 42.25,
			watchedPercent: 42,
			completed: false
		});
		const player = lessonPlayer(db, user.id, lesson);
		expect(player).toMatchObject({ kind: 'video', src: `/media/${lesson.mediaId}`, resumeAt: 42.25 });
	});

	it('starts again from the beginning once the end was reached', () => {
		report(0, 0);
		report(DURATION - 1, 5);
		expect(watchState(db, user.id, lesson)).toMatchObject({ position: DURATION - 1, resumeAt: 0 });
	});

	it('the first report after a long break only sets the position when it jumps', () => {
		watchHonestly(0, 20, 0);
		// A day later, on another device, playing from where it stopped.
		const nextDay = 86_400;
		expect(report(20, nextDay)).toMatchObject({ watchedPercent: 20 });
		expect(report(30, nextDay + 10)).toMatchObject({ watchedPercent: 30 });
	});
});

describe('refusals', () => {
	const BAD: [string, unknown][] = [
		['NaN', NaN],
		['Infinity', Infinity],
		['negative', -1],
		['beyond the length', DURATION + WATCH_TOLERANCE_SECONDS + 0.5],
		['huge', 1e308],
		['a string', '10'],
		['null', null],
		['missing', undefined],
		['an array', [10]]
	];

	it.each(BAD)('a position that is %s is refused with nothing written', (_, position) => {
		const first = report(position, 0);
		expect(first).toMatchObject({ ok: false, status: 400 });
		expect((first as { message: string }).message).toMatch(/播放位置/);
		expect(row()).toBeUndefined();
		report(10, 10);
		const before = row();
		expect(report(position, 20)).toMatchObject({ ok: false, status: 400 });
		expect(row()).toEqual(before);
	});

	it('a body that is no object is refused', () => {
		for (const body of [null, 12, 'position=10', [], true]) {
			expect(reportWatch(db, user, lesson, body, at(0))).toMatchObject({ ok: false, status: 400 });
		}
		expect(row()).toBeUndefined();
	});

	it('a position a little past the end (the last frame) is taken as the end', () => {
		report(0, 0);
		expect(report(DURATION + 1, 5)).toMatchObject({ ok: true, position: DURATION });
	});

	it('a reading lesson, an unknown or archived lesson, or one without its file is refused', () => {
		expect(watchedLesson(db, user, 'demo', 'lesson-two')).toMatchObject({ ok: false, status: 400 });
		expect(watchedLesson(db, user, 'demo', 'no-such-lesson')).toMatchObject({ ok: false, status: 404 });
		expect(watchedLesson(db, user, 'nope', 'lesson-one')).toMatchObject({ ok: false, status: 404 });
		db.update(lessons).set({ durationSeconds: null }).where(eq(lessons.id, lesson.id)).run();
		expect(watchedLesson(db, user, 'demo', 'lesson-one')).toMatchObject({
			ok: false,
			status: 400,
			message: '本节音视频的时长未知，暂时无法记录观看进度'
		});
		db.update(lessons)
			.set({ archivedAt: at(0) })
			.where(eq(lessons.id, lesson.id))
			.run();
		expect(watchedLesson(db, user, 'demo', 'lesson-one')).toMatchObject({ ok: false, status: 404 });
	});

	it('a learner who cannot see the module is refused; one of the owning office may watch', async () => {
		db.update(modules).set({ ownerOfficeId: tree.xiaoyi.id }).where(eq(modules.slug, 'demo')).run();
		expect(watchedLesson(db, user, 'demo', 'lesson-one')).toEqual({
			ok: false,
			status: 404,
			message: '没有找到这节课程，或它已下线'
		});
		const local = await addUser(db, { username: 'xiaoyi', officeId: tree.xiaoyi.id });
		expect(watchedLesson(db, { id: local.id, officeId: tree.xiaoyi.id }, 'demo', 'lesson-one').ok).toBe(true);
	});
});

describe('the crediting rule', () => {
	it('merges stretches that overlap or touch and measures what they cover', () => {
		let s = addStretch([], [10, 20]);
		s = addStretch(s, [30, 40]);
		s = addStretch(s, [20, 25]);
		s = addStretch(s, [5, 12]);
		expect(s).toEqual([
			[5, 25],
			[30, 40]
		]);
		expect(coveredSeconds(addStretch(s, [0, 100]))).toBe(100);
	});

	it('spends borrowed tolerance: a step ahead of real time moves the credited time past now', () => {
		const next = step({ position: 0, creditedUntil: T0, stretches: [] }, 12, T0 + 10_000);
		expect(next).toEqual({ position: 12, creditedUntil: T0 + 12_000, stretches: [[0, 12]] });
		// 10 s later only 8 s of real time are left: a further 12 s is too much.
		const after = step(next, 24, T0 + 20_000);
		expect(after).toEqual({ position: 24, creditedUntil: T0 + 20_000, stretches: [[0, 12]] });
	});
});
