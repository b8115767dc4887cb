import { beforeAll, describe, expect, it } from 'vitest';
import { count, eq, isNull } from 'drizzle-orm';
import { testDb } from '../helpers/db';
import { seedDemo } from '../../src/lib/server/seed/demo';
import { DEMO_PASSWORD, OFFICE_TREE } from '../../src/lib/server/seed';
import { login } from '../../src/lib/server/auth/login';
import { validateSessionToken } from '../../src/lib/server/auth/session';
import {
	examAttempts,
	examItemStats,
	exams,
	offices,
	outreachTalks,
	schools,
	users
} from '../../src/lib/server/db/schema';
import { gradingQueue } from '../../src/lib/server/exams';

// Seeding the full demo is slow-ish (thousands of answers through the quiz engine): once per file.
let db: ReturnType<typeof testDb>;
beforeAll(async () => {
	db = testDb();
	await seedDemo(db);
}, 60_000);

describe('demo data', () => {
	it('loads the real office tree, both schools, ~300 cadres and the demo accounts, idempotently', async () => {
		const snapshot = () => ({
			offices: db.select({ n: count() }).from(offices).get()!.n,
			schools: db.select({ n: count() }).from(schools).get()!.n,
			users: db.select({ n: count() }).from(users).get()!.n
		});
		const first = snapshot();
		await seedDemo(db);
		expect(snapshot()).toEqual(first);
		expect(first.offices).toBe(14);
		expect(first.schools).toBe(2);
		const cadres = db.select({ n: count() }).from(users).where(eq(users.role, 'cadre')).get()!.n;
		expect(cadres).toBeGreaterThanOrEqual(280);
		expect(cadres).toBeLessThanOrEqual(320);
		const root = db.select().from(offices).where(isNull(offices.parentId)).all();
		expect(root.map((o) => o.name)).toEqual([OFFICE_TREE.root.name]);
		// Every county has cadres.
		for (const o of db.select().from(offices).all()) {
			expect(
				db.select({ n: count() }).from(users).where(eq(users.officeId, o.id)).get()!.n,
				o.name
			).toBeGreaterThan(10);
		}
	});

	it('every demo account signs in with Demo#2026 and has its role and office', async () => {
		const expected = {
			admin: ['sysadmin', null],
			dangxiao: ['school_admin', null],
			'lvliang.admin': ['office_admin', '吕梁市人大常委会'],
			'lishi.admin': ['office_admin', '离石区人大常委会'],
			'lishi.cadre': ['cadre', '离石区人大常委会']
		} as const;
		for (const [username, [role, officeName]] of Object.entries(expected)) {
			const r = await login(db, username, DEMO_PASSWORD);
			expect(r.ok, username).toBe(true);
			if (!r.ok) continue;
			expect(r.mustChangePassword).toBe(false);
			const user = validateSessionToken(db, r.token).user!;
			expect(user.role).toBe(role);
			const office = user.officeId
				? db.select().from(offices).where(eq(offices.id, user.officeId)).get()?.name
				: null;
			expect(office ?? null).toBe(officeName);
		}
		const dangxiao = db.select().from(users).where(eq(users.username, 'dangxiao')).get()!;
		expect(db.select().from(schools).where(eq(schools.id, dangxiao.schoolId!)).get()?.name).toBe(
			'中共吕梁市委党校'
		);
	});

	it('uses no name of a real person from the source report', async () => {
		const real = [
			'刘振国',
			'石磊',
			'闫艳红',
			'王东平',
			'韩宇',
			'任玉梅',
			'康艳红',
			'白小勤',
			'权艳红',
			'李保云',
			'张伟伟',
			'李翠英'
		];
		const names = new Set(
			db
				.select({ name: users.name })
				.from(users)
				.all()
				.map((u) => u.name)
		);
		expect(real.filter((n) => names.has(n))).toEqual([]);
	});

	it('holds 宣讲 talks of every office, once however often it is seeded (details: outreach-seed.test.ts)', async () => {
		const talks = () =>
			db
				.select({ officeId: outreachTalks.officeId })
				.from(outreachTalks)
				.where(eq(outreachTalks.status, 'submitted'))
				.all();
		const before = talks();
		expect(new Set(before.map((t) => t.officeId)).size).toBe(14);
		await seedDemo(db);
		expect(talks().length).toBe(before.length);
	});

	it('holds a released exam with results and item analysis, and an open one with 简答 to grade', () => {
		const [past, current] = db.select().from(exams).orderBy(exams.id).all();
		expect(past?.title).toBe('第一期专题班结业考试');
		expect(past?.releasedAt).not.toBeNull();
		const scored = db
			.select({ score: examAttempts.score, released: examAttempts.releasedAt })
			.from(examAttempts)
			.where(eq(examAttempts.examId, past!.id))
			.all();
		expect(scored.length).toBeGreaterThan(10);
		expect(scored.every((a) => a.score !== null && a.released !== null)).toBe(true);
		expect(
			db.select({ n: count() }).from(examItemStats).where(eq(examItemStats.examId, past!.id)).get()!.n
		).toBeGreaterThan(20);
		expect(current?.title).toBe('2026年度应知应会测试');
		expect(current?.releasedAt).toBeNull();
		const grader = db.select().from(users).where(eq(users.username, 'dangxiao2')).get()!;
		const queue = gradingQueue(db, grader.id, current!.id);
		expect(queue.next?.rubric.length).toBeGreaterThan(0);
		expect(queue.progress.complete).toBe(false);
	});
});
