import { beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { testDb, addUser, seedTree } from '../helpers/db';
import { award } from '../../src/lib/server/points/ledger';
import { boardWithStanding, myStanding, officeBoard } from '../../src/lib/server/points/board';
import { currentPeriod, mondayOf, rebuildPeriods } from '../../src/lib/server/points/periods';
import { POINT_RULES, type RuleKey } from '../../src/lib/server/points/rules';
import { rng } from '../../src/lib/server/seed/people';
import { users } from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';
import { shanghaiDay } from '../../src/lib/server/time';
import { addDays } from '../../src/lib/format';

let db: Db;
let tree: ReturnType<typeof seedTree>;
let seq = 0;

beforeEach(() => {
	db = testDb();
	tree = seedTree(db);
});

function give(userId: number, officeId: number, points: number, at: Date, rule: RuleKey = 'quiz_first_pass') {
	return db.transaction((tx) =>
		award(tx, { userId, officeId, rule, key: `t:${seq++}`, reason: '测试', at, points })
	);
}

describe('office leaderboard', () => {
	it('equal points share a rank (1, 2, 2, 4) and the viewer always has their row and points to the next rank', async () => {
		const now = new Date('2026-11-25T04:00:00Z');
		const names = ['甲', '乙', '丙', '丁', '戊'];
		const people: Awaited<ReturnType<typeof addUser>>[] = [];
		for (const [i, n] of names.entries())
			people.push(await addUser(db, { username: `u${i}`, name: n, officeId: tree.lishi.id }));
		[10, 7, 7, 5, 1].forEach((p, i) => give(people[i]!.id, tree.lishi.id, p, now));
		const board = officeBoard(db, tree.lishi.id, 'week', 1, 50, now);
		expect(board.rows.map((r) => [r.name, r.points, r.rank])).toEqual([
			['甲', 10, 1],
			['乙', 7, 2],
			['丙', 7, 2],
			['丁', 5, 4],
			['戊', 1, 5]
		]);
		expect(myStanding(db, people[3]!.id, tree.lishi.id, 'week', now)).toEqual({
			points: 5,
			rank: 4,
			toNext: 2
		});
		expect(myStanding(db, people[0]!.id, tree.lishi.id, 'week', now)).toEqual({
			points: 10,
			rank: 1,
			toNext: null
		});
		// Outside the page: a small page size still gives the right rank for later pages.
		const second = officeBoard(db, tree.lishi.id, 'week', 2, 2, now);
		expect(second.rows.map((r) => [r.name, r.rank])).toEqual([
			['丙', 2],
			['丁', 4]
		]);
		// Someone with no points this period is ranked after everyone who scored.
		const newcomer = await addUser(db, { username: 'new', officeId: tree.lishi.id });
		expect(myStanding(db, newcomer.id, tree.lishi.id, 'week', now)).toEqual({
			points: 0,
			rank: 6,
			toNext: 1
		});
		// The rank page counts board and standing in one pass: the same answers.
		const page = boardWithStanding(db, tree.lishi.id, people[2]!.id, 'week', 2, 2, now);
		expect(page.board).toEqual(second);
		expect(page.me).toEqual({ points: 7, rank: 2, toNext: 3 });
	});

	it('leaves deactivated members out, and other offices out', async () => {
		const now = new Date('2026-11-25T04:00:00Z');
		const a = await addUser(db, { username: 'a', officeId: tree.lishi.id });
		const b = await addUser(db, { username: 'b', officeId: tree.lishi.id });
		const c = await addUser(db, { username: 'c', officeId: tree.xiaoyi.id });
		give(a.id, tree.lishi.id, 3, now);
		give(b.id, tree.lishi.id, 9, now);
		give(c.id, tree.xiaoyi.id, 20, now);
		db.update(users).set({ active: false }).where(eq(users.id, b.id)).run();
		expect(officeBoard(db, tree.lishi.id, 'all', 1, 50, now).rows.map((r) => r.userId)).toEqual([a.id]);
		expect(myStanding(db, a.id, tree.lishi.id, 'all', now).rank).toBe(1);
		expect(boardWithStanding(db, tree.lishi.id, a.id, 'all', 1, 50, now)).toMatchObject({
			board: { total: 1 },
			me: { rank: 1, toNext: null }
		});
	});

	it('a member who moves leaves the old board (their points stay with it) and is back when they return', async () => {
		const now = new Date('2026-11-25T04:00:00Z');
		const a = await addUser(db, { username: 'a', officeId: tree.lishi.id });
		const b = await addUser(db, { username: 'b', officeId: tree.lishi.id });
		give(a.id, tree.lishi.id, 3, now);
		give(b.id, tree.lishi.id, 9, now);
		db.update(users).set({ officeId: tree.xiaoyi.id }).where(eq(users.id, b.id)).run();
		expect(officeBoard(db, tree.lishi.id, 'week', 1, 50, now)).toMatchObject({
			rows: [{ userId: a.id, rank: 1 }],
			total: 1
		});
		expect(myStanding(db, a.id, tree.lishi.id, 'week', now)).toEqual({ points: 3, rank: 1, toNext: null });
		// In the new office they start from nothing: points earned in 离石 are not carried over.
		expect(officeBoard(db, tree.xiaoyi.id, 'week', 1, 50, now).rows).toEqual([]);
		give(b.id, tree.xiaoyi.id, 2, now);
		expect(officeBoard(db, tree.xiaoyi.id, 'week', 1, 50, now).rows.map((r) => [r.userId, r.points])).toEqual(
			[[b.id, 2]]
		);
		db.update(users).set({ officeId: tree.lishi.id }).where(eq(users.id, b.id)).run();
		expect(
			officeBoard(db, tree.lishi.id, 'week', 1, 50, now).rows.map((r) => [r.userId, r.points, r.rank])
		).toEqual([
			[b.id, 9, 1],
			[a.id, 3, 2]
		]);
		expect(officeBoard(db, tree.xiaoyi.id, 'week', 1, 50, now).rows).toEqual([]);
		// Someone who becomes a party-school admin is no longer a member of the office.
		db.update(users).set({ role: 'school_admin' }).where(eq(users.id, b.id)).run();
		expect(officeBoard(db, tree.lishi.id, 'week', 1, 50, now).rows.map((r) => r.userId)).toEqual([a.id]);
	});

	it('week, month and year boundaries fall at Shanghai midnight; weeks start on Monday', async () => {
		const u = await addUser(db, { username: 'u', officeId: tree.lishi.id });
		// Sunday 29 November 2026, 23:30 in Shanghai (15:30 UTC): the week of 23 November.
		give(u.id, tree.lishi.id, 2, new Date(Date.UTC(2026, 10, 29, 15, 30)));
		// Monday 30 November, 00:10 in Shanghai (16:10 UTC on the 29th): a new week.
		const monday = new Date(Date.UTC(2026, 10, 29, 16, 10));
		give(u.id, tree.lishi.id, 3, monday);
		expect(currentPeriod('week', monday)).toBe('w:2026-11-30');
		expect(myStanding(db, u.id, tree.lishi.id, 'week', monday).points).toBe(3);
		expect(myStanding(db, u.id, tree.lishi.id, 'week', new Date(Date.UTC(2026, 10, 29, 15, 50))).points).toBe(
			2
		);
		expect(myStanding(db, u.id, tree.lishi.id, 'month', monday).points).toBe(5);
		// Tuesday 1 December, 00:10 in Shanghai (16:10 UTC on 30 November): a new month, same week.
		const december = new Date(Date.UTC(2026, 10, 30, 16, 10));
		give(u.id, tree.lishi.id, 1, december);
		expect(myStanding(db, u.id, tree.lishi.id, 'month', december).points).toBe(1);
		expect(myStanding(db, u.id, tree.lishi.id, 'week', december).points).toBe(4);
		expect(myStanding(db, u.id, tree.lishi.id, 'year', december).points).toBe(6);
		// New Year's Eve in Shanghai, 00:05 on 1 January 2027 = 16:05 UTC on 31 December.
		const newYear = new Date(Date.UTC(2026, 11, 31, 16, 5));
		give(u.id, tree.lishi.id, 4, newYear);
		expect(myStanding(db, u.id, tree.lishi.id, 'year', newYear).points).toBe(4);
		expect(myStanding(db, u.id, tree.lishi.id, 'all', newYear).points).toBe(10);
		expect(mondayOf('2026-11-30')).toBe('2026-11-30');
		expect(mondayOf('2026-12-06')).toBe('2026-11-30');
		expect(mondayOf('2027-01-01')).toBe('2026-12-28');
	});
});

describe('aggregates', () => {
	it('after a random workload the maintained aggregates equal a recomputation from the ledger', async () => {
		const random = rng(7);
		const people: Awaited<ReturnType<typeof addUser>>[] = [];
		for (let i = 0; i < 12; i++)
			people.push(
				await addUser(db, {
					username: `p${i}`,
					officeId: [tree.city.id, tree.lishi.id, tree.xiaoyi.id][i % 3]!
				})
			);
		const rules = Object.keys(POINT_RULES) as RuleKey[];
		const start = Date.UTC(2025, 11, 20);
		for (let i = 0; i < 1500; i++) {
			const p = people[Math.floor(random() * people.length)]!;
			// Sometimes the person earns points in another office (moved), sometimes with no office.
			const office = random() < 0.1 ? tree.city.id : random() < 0.03 ? null : p.officeId;
			const at = new Date(start + random() * 60 * 86_400_000);
			const rule = rules[Math.floor(random() * rules.length)]!;
			// Some repeats of an earlier key: they must not count twice.
			const key = random() < 0.1 ? `t:${Math.floor(random() * seq + 1) - 1}` : `t:${seq++}`;
			db.transaction((tx) =>
				award(tx, {
					userId: p.id,
					officeId: office,
					rule,
					key,
					reason: '随机',
					at,
					points: 1 + Math.floor(random() * 5)
				})
			);
			// Now and then someone is deactivated or back, moves, or changes role: whose rows count changes.
			const change = random();
			const q = people[Math.floor(random() * people.length)]!;
			if (change < 0.02)
				db.update(users)
					.set({ active: random() < 0.5 })
					.where(eq(users.id, q.id))
					.run();
			else if (change < 0.04)
				db.update(users)
					.set({ officeId: [tree.city.id, tree.lishi.id, tree.xiaoyi.id][Math.floor(random() * 3)]! })
					.where(eq(users.id, q.id))
					.run();
			else if (change < 0.05)
				db.update(users)
					.set({ role: random() < 0.5 ? 'office_admin' : 'school_admin' })
					.where(eq(users.id, q.id))
					.run();
		}
		const maintained = db.all(
			sql`SELECT user_id, office_id, period, points, member FROM points_period ORDER BY 1, 2, 3`
		);
		const maintainedDaily = db.all(sql`SELECT office_id, day, learners FROM office_daily ORDER BY 1, 2`);
		db.transaction((tx) => rebuildPeriods(tx));
		const rebuilt = db.all<{ member: number }>(
			sql`SELECT user_id, office_id, period, points, member FROM points_period ORDER BY 1, 2, 3`
		);
		expect(rebuilt.length).toBeGreaterThan(100);
		// Both kinds of rows occur, so the comparison covers the flag's upkeep.
		expect(new Set(rebuilt.map((r) => r.member))).toEqual(new Set([0, 1]));
		expect(maintained).toEqual(rebuilt);
		const rebuiltDaily = db.all(sql`SELECT office_id, day, learners FROM office_daily ORDER BY 1, 2`);
		expect(rebuiltDaily.length).toBeGreaterThan(50);
		expect(maintainedDaily).toEqual(rebuiltDaily);
		// The dashboard chart: per day, the members with points that day in the office.
		const { dailyActive } = await import('../../src/lib/server/participation/dashboard');
		const chart = dailyActive(db, [tree.lishi.id], 70, new Date(start + 65 * 86_400_000));
		const counted = db.all<{ day: string; n: number }>(
			sql`SELECT day, count(DISTINCT user_id) AS n FROM points_ledger WHERE office_id = ${tree.lishi.id} GROUP BY day`
		);
		expect(chart.learners).toHaveLength(70);
		expect(chart.first).toBe(shanghaiDay(new Date(start - 4 * 86_400_000)));
		const days = chart.learners.map((n, i) => ({ day: addDays(chart.first, i), learners: n }));
		expect(days.filter((c) => c.learners > 0)).toEqual(counted.map((c) => ({ day: c.day, learners: c.n })));
	});
});

describe('office comparison', () => {
	it('ranks by rates per member, so a small office can lead a large one', async () => {
		const { compareOffices } = await import('../../src/lib/server/points/compare');
		const now = new Date('2026-11-25T04:00:00Z');
		// 离石区: 10 members, 2 study (20 points). 孝义市: 2 members, both study (10 points).
		const lishi: Awaited<ReturnType<typeof addUser>>[] = [];
		for (let i = 0; i < 10; i++)
			lishi.push(await addUser(db, { username: `l${i}`, officeId: tree.lishi.id }));
		const xiaoyi = [
			await addUser(db, { username: 'x0', officeId: tree.xiaoyi.id }),
			await addUser(db, { username: 'x1', officeId: tree.xiaoyi.id })
		];
		give(lishi[0]!.id, tree.lishi.id, 12, now);
		give(lishi[1]!.id, tree.lishi.id, 8, now);
		give(xiaoyi[0]!.id, tree.xiaoyi.id, 6, now);
		give(xiaoyi[1]!.id, tree.xiaoyi.id, 4, now);
		const byParticipation = compareOffices(db, [tree.lishi.id, tree.xiaoyi.id], 'week', 'participation', now);
		expect(byParticipation.map((f) => [f.name, f.participation, f.rank])).toEqual([
			['孝义市人大常委会', 100, 1],
			['离石区人大常委会', 20, 2]
		]);
		const perCapita = compareOffices(db, [tree.lishi.id, tree.xiaoyi.id], 'week', 'perCapita', now);
		expect(perCapita.map((f) => [f.name, f.perCapita])).toEqual([
			['孝义市人大常委会', 5],
			['离石区人大常委会', 2]
		]);
		// No course due yet: the on-time rate is unknown, not zero.
		expect(compareOffices(db, [tree.lishi.id], 'week', 'onTime', now)[0]!.onTime).toBeNull();
	});
});

describe('exports', () => {
	it('the member export opens in a spreadsheet library and matches the member table', async () => {
		const ExcelJS = (await import('exceljs')).default;
		const { memberTable } = await import('../../src/lib/server/participation/dashboard');
		const { memberSheet, xlsxStream, csvStream } = await import('../../src/lib/server/participation/export');
		const now = new Date('2026-11-25T04:00:00Z');
		for (let i = 0; i < 30; i++) {
			const u = await addUser(db, {
				username: `m${i}`,
				name: `成员${String(i).padStart(2, '0')}`,
				officeId: i % 2 ? tree.lishi.id : tree.xiaoyi.id
			});
			if (i % 3) give(u.id, u.officeId!, i, now);
		}
		const offices = [tree.city.id, tree.lishi.id, tree.xiaoyi.id];
		const table = memberTable(
			db,
			offices,
			{ kind: 'month', sort: 'name', desc: false, pageSize: Infinity },
			now
		).rows;
		const bytes = new Uint8Array(
			await new Response(
				xlsxStream(memberSheet(db, offices, { kind: 'month', sort: 'name', desc: false }, now))
			).arrayBuffer()
		);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(bytes as unknown as ArrayBuffer);
		const rows: unknown[][] = [];
		wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
		expect(rows[0]).toEqual([
			'姓名',
			'登录名',
			'单位',
			'本期积分',
			'最近学习',
			'已学课程',
			'通过测验',
			'完成任务',
			'逾期任务',
			'本年学时',
			'状态'
		]);
		expect(rows.slice(1).map((r) => [r[0], r[1], r[3]])).toEqual(
			table.map((m) => [m.name, m.username, m.points])
		);
		const csv = (
			await new Response(
				csvStream(memberSheet(db, offices, { kind: 'month', sort: 'name', desc: false }, now))
			).text()
		)
			.replace(/^\uFEFF/, '')
			.trim()
			.split('\r\n');
		expect(csv).toHaveLength(table.length + 1);
		expect(csv[1]!.split(',').slice(0, 2)).toEqual([table[0]!.name, table[0]!.username]);
	});

	it('a parent sees its children in the member table; a sibling office does not', async () => {
		const { memberTable } = await import('../../src/lib/server/participation/dashboard');
		const { dashboardScope } = await import('../../src/lib/server/participation/scope');
		const a = await addUser(db, { username: 'kid.lishi', officeId: tree.lishi.id });
		await addUser(db, { username: 'kid.xiaoyi', officeId: tree.xiaoyi.id });
		const cityAdmin = { id: 0, role: 'office_admin' as const, officeId: tree.city.id };
		const lishiAdmin = { id: 0, role: 'office_admin' as const, officeId: tree.lishi.id };
		const city = dashboardScope(db, cityAdmin, new URLSearchParams())!;
		expect(
			memberTable(db, city.officeIds, { kind: 'month' })
				.rows.map((r) => r.username)
				.sort()
		).toEqual(['kid.lishi', 'kid.xiaoyi']);
		const lishi = dashboardScope(db, lishiAdmin, new URLSearchParams())!;
		expect(memberTable(db, lishi.officeIds, { kind: 'month' }).rows.map((r) => r.userId)).toEqual([a.id]);
		expect(
			dashboardScope(db, lishiAdmin, new URLSearchParams({ office: String(tree.xiaoyi.id) }))
		).toBeNull();
		expect(
			dashboardScope(db, cityAdmin, new URLSearchParams({ office: String(tree.xiaoyi.id) }))?.office.id
		).toBe(tree.xiaoyi.id);
	});
});

describe('member table', () => {
	it('as it opens (most points first) it reads the board in order, matching a count from the ledger, one office or rolled up', async () => {
		const { memberTable } = await import('../../src/lib/server/participation/dashboard');
		const now = new Date('2026-11-25T04:00:00Z');
		const lastMonth = new Date('2026-10-20T04:00:00Z');
		const random = rng(11);
		const people: Awaited<ReturnType<typeof addUser>>[] = [];
		for (let i = 0; i < 16; i++) {
			const officeId = i % 3 ? tree.lishi.id : tree.xiaoyi.id;
			const u = await addUser(db, { username: `p${i}`, officeId, role: i === 4 ? 'office_admin' : 'cadre' });
			people.push(u);
			// Ties (points from 0 to 4), some with none this month, some only last month.
			const points = i % 5 === 2 ? 0 : Math.floor(random() * 5);
			if (points) give(u.id, officeId, points, now);
			if (i % 4 === 0) give(u.id, officeId, 9, lastMonth);
		}
		// Left out: a deactivated member with points, and a sysadmin placed in the office.
		db.update(users).set({ active: false }).where(eq(users.id, people[1]!.id)).run();
		give(people[1]!.id, tree.lishi.id, 50, now);
		const admin = await addUser(db, { username: 'sys', officeId: tree.lishi.id, role: 'sysadmin' });
		give(admin.id, tree.lishi.id, 40, now);
		// Moved from 孝义 to 离石 this month: only what was earned in 离石 counts, as on its board.
		const mover = people[3]!;
		give(mover.id, tree.xiaoyi.id, 30, now);
		db.update(users).set({ officeId: tree.lishi.id }).where(eq(users.id, mover.id)).run();
		give(mover.id, tree.lishi.id, 2, now);

		const month = currentPeriod('month', now);
		const expected = (officeIds: number[]) =>
			db
				.all<{ userId: number; points: number }>(
					sql`SELECT u.id AS userId, coalesce((SELECT sum(l.points) FROM points_ledger l WHERE l.user_id = u.id AND l.office_id = u.office_id
						AND substr(l.day, 1, 7) = ${month.slice(2)}), 0) AS points
					FROM users u WHERE u.active = 1 AND u.role IN ('cadre', 'office_admin') AND u.office_id IN (${sql.join(officeIds, sql`, `)})`
				)
				.sort((a, b) => b.points - a.points || a.userId - b.userId);
		for (const officeIds of [[tree.lishi.id], [tree.city.id, tree.lishi.id, tree.xiaoyi.id]]) {
			const want = expected(officeIds);
			expect(want.some((r) => r.points === 0) && want.some((r) => r.points > 0), JSON.stringify(want)).toBe(
				true
			);
			const pages = (status: 'all' | 'studying') =>
				[1, 2, 3, 4, 5, 6].flatMap(
					(page) => memberTable(db, officeIds, { kind: 'month', status, page, pageSize: 3 }, now).rows
				);
			expect(pages('all').map((r) => ({ userId: r.userId, points: r.points }))).toEqual(want);
			expect(memberTable(db, officeIds, { kind: 'month', pageSize: 3 }, now).total).toBe(want.length);
			const scored = want.filter((r) => r.points > 0);
			expect(pages('studying').map((r) => ({ userId: r.userId, points: r.points }))).toEqual(scored);
			expect(memberTable(db, officeIds, { kind: 'month', status: 'studying', pageSize: 3 }, now).total).toBe(
				scored.length
			);
			// Every other sort computes the same points per member.
			const byName = memberTable(
				db,
				officeIds,
				{ kind: 'month', sort: 'name', pageSize: Infinity },
				now
			).rows;
			expect(
				byName
					.map((r) => ({ userId: r.userId, points: r.points }))
					.sort((a, b) => b.points - a.points || a.userId - b.userId)
			).toEqual(want);
		}
		expect(expected([tree.lishi.id]).find((r) => r.userId === mover.id)?.points).toBe(2);
	});

	it('sorts by every figure, filters by name and status, and pages consistently with the whole list', async () => {
		const { memberTable, MEMBER_SORTS, MEMBER_STATUSES } =
			await import('../../src/lib/server/participation/dashboard');
		const now = new Date('2026-11-25T04:00:00Z');
		const random = rng(7);
		for (let i = 0; i < 12; i++) {
			const u = await addUser(db, {
				username: `t${i}`,
				name: `成员${'甲乙丙丁'[i % 4]}${i}`,
				officeId: i % 2 ? tree.lishi.id : tree.xiaoyi.id
			});
			// Points on different days: different totals and different last-active days.
			for (let d = 0; d < i % 4; d++)
				give(u.id, u.officeId!, 1 + Math.floor(random() * 5), new Date(now.getTime() - d * 86_400_000));
			if (i === 5) db.update(users).set({ active: false }).where(eq(users.id, u.id)).run();
		}
		const ids = [tree.city.id, tree.lishi.id, tree.xiaoyi.id];
		const all = memberTable(db, ids, { kind: 'all', pageSize: Infinity }, now);
		expect(all.total).toBe(11); // the deactivated member only under 已停用
		expect(all.rows.map((r) => r.points)).toEqual([...all.rows.map((r) => r.points)].sort((a, b) => b - a));
		expect(all.rows.find((r) => r.username === 't3')).toMatchObject({ lastActive: '2026-11-25' });
		expect(
			memberTable(db, ids, { kind: 'all', status: 'inactive' }, now).rows.map((r) => r.username)
		).toEqual(['t5']);
		expect(
			memberTable(db, ids, { kind: 'all', status: 'idle', pageSize: Infinity }, now).rows.every(
				(r) => r.points === 0
			)
		).toBe(true);
		expect(
			memberTable(db, ids, { kind: 'all', q: '丙', pageSize: Infinity }, now)
				.rows.map((r) => r.username)
				.sort()
		).toEqual(['t10', 't2', 't6']);
		for (const sort of MEMBER_SORTS) {
			for (const status of MEMBER_STATUSES) {
				for (const desc of [true, false]) {
					const opts = { kind: 'all' as const, sort, status, desc };
					const whole = memberTable(db, ids, { ...opts, pageSize: Infinity }, now);
					const pages = [1, 2, 3, 4].flatMap(
						(page) => memberTable(db, ids, { ...opts, page, pageSize: 3 }, now).rows
					);
					expect(pages, `${sort} ${status} ${desc}`).toEqual(whole.rows);
					expect(memberTable(db, ids, { ...opts, pageSize: 3 }, now).total).toBe(whole.total);
				}
			}
		}
	});
});
