import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { addUser, seedTree, testDb } from '../helpers/db';
import type { Db } from '../../src/lib/server/db';
import {
	apiTokens,
	auditLog,
	courses,
	enrolments,
	offices,
	schools,
	users
} from '../../src/lib/server/db/schema';
import { auditActor, type AuditActor } from '../../src/lib/server/audit';
import { award } from '../../src/lib/server/points/ledger';
import { compareOffices } from '../../src/lib/server/points/compare';
import {
	bearerToken,
	createToken,
	listTokens,
	revokeToken,
	verifyToken
} from '../../src/lib/server/national/tokens';
import {
	instanceFigures,
	parseFigurePeriod,
	periodRange,
	type InstanceFigures
} from '../../src/lib/server/national/figures';
import { aggregate, parseFigures, rates, sumCounts } from '../../src/lib/server/national/aggregate';
import { fetchFigures, parseSource } from '../../src/lib/server/national/collect';
import { nationalWorkbook, textTable } from '../../src/lib/server/national/workbook';

// A Wednesday in Shanghai: the week runs 2026-11-23 … 2026-11-29.
const NOW = new Date('2026-11-25T04:00:00Z');
const at = (day: string) => new Date(`${day}T04:00:00Z`);
let seq = 0;

function give(db: Db, userId: number, officeId: number, points: number, day: string) {
	db.transaction((tx) =>
		award(tx, {
			userId,
			officeId,
			rule: 'quiz_first_pass',
			key: `t:${seq++}`,
			reason: '测试',
			at: at(day),
			points
		})
	);
}

async function sysadmin(db: Db): Promise<Required<AuditActor>> {
	const user = await addUser(db, { username: `admin${seq++}`, role: 'sysadmin', name: '系统管理员' });
	return auditActor(user, '192.0.2.7');
}

const audits = (db: Db) =>
	db
		.select({
			action: auditLog.action,
			summary: auditLog.summary,
			actor: auditLog.actorName,
			ip: auditLog.ip
		})
		.from(auditLog)
		.all();

describe('接口令牌', () => {
	let db: Db;
	beforeEach(() => {
		db = testDb();
	});

	it('is shown once and stored only as its SHA-256, with an audit row; a name is required', async () => {
		const admin = await sysadmin(db);
		const refused = createToken(db, admin, { name: ' ' });
		expect(refused).toEqual({ ok: false, errors: { name: expect.stringContaining('请填写令牌名称') } });
		expect(createToken(db, admin, { name: '长'.repeat(41) })).toMatchObject({
			ok: false,
			errors: { name: '令牌名称不能超过 40 个字' }
		});
		expect(db.select().from(apiTokens).all()).toEqual([]);
		expect(audits(db)).toEqual([]);

		const made = createToken(db, admin, { name: '全国汇总' }, NOW);
		if (!made.ok) throw new Error('refused');
		expect(made.token).toMatch(/^xxyd_[a-z2-7]{39}$/);
		const row = db.select().from(apiTokens).get()!;
		expect(row.tokenHash).toBe(createHash('sha256').update(made.token).digest('hex'));
		expect(JSON.stringify(row)).not.toContain(made.token.slice(5));
		expect(row).toMatchObject({ name: '全国汇总', createdBy: admin.id, lastUsedAt: null, revokedAt: null });
		expect(audits(db)).toEqual([
			{ action: 'token.create', summary: '新建接口令牌“全国汇总”', actor: '系统管理员', ip: '192.0.2.7' }
		]);
		// Another token in use with the same name would be confused with it.
		expect(createToken(db, admin, { name: '全国汇总' })).toMatchObject({
			ok: false,
			errors: { name: expect.stringContaining('已有同名的令牌在用') }
		});
		// Two tokens never share text.
		const other = createToken(db, admin, { name: '备用' });
		expect(other.ok && other.token).not.toBe(made.token);
	});

	it('answers only to the right token while in use, recording when it was last used; revoked, never again', async () => {
		const admin = await sysadmin(db);
		const made = createToken(db, admin, { name: '全国汇总' }, NOW);
		if (!made.ok) throw new Error('refused');
		const later = new Date(NOW.getTime() + 3_600_000);
		expect(verifyToken(db, made.token, later)).toEqual({ id: made.id, name: '全国汇总' });
		expect(listTokens(db)[0]).toMatchObject({ lastUsedAt: later, createdByName: '系统管理员' });
		for (const wrong of [
			null,
			'',
			made.token + 'x',
			made.token.slice(0, -1),
			made.token.toUpperCase(),
			'xxyd_'
		])
			expect(verifyToken(db, wrong), String(wrong)).toBeNull();

		expect(revokeToken(db, admin, 'abc')).toEqual({
			ok: false,
			message: expect.stringContaining('没有找到')
		});
		expect(revokeToken(db, admin, 999)).toEqual({ ok: false, message: expect.stringContaining('没有找到') });
		// Another spelling of the id is no id.
		for (const spelled of [`0x${made.id.toString(16)}`, `${made.id}.0`, `+${made.id}`, `0${made.id}`, ''])
			expect(revokeToken(db, admin, spelled).ok, spelled).toBe(false);
		expect(revokeToken(db, admin, String(made.id), later)).toEqual({ ok: true, name: '全国汇总' });
		expect(verifyToken(db, made.token)).toBeNull();
		expect(listTokens(db)[0]).toMatchObject({ revokedAt: later, lastUsedAt: later });
		expect(revokeToken(db, admin, made.id)).toEqual({ ok: false, message: '令牌“全国汇总”已经吊销' });
		expect(audits(db).map((a) => [a.action, a.summary])).toEqual([
			['token.create', '新建接口令牌“全国汇总”'],
			['token.revoke', '吊销接口令牌“全国汇总”']
		]);
		// The name is free again; tokens in use come first in the list.
		const again = createToken(db, admin, { name: '全国汇总' });
		expect(again.ok).toBe(true);
		expect(listTokens(db).map((t) => [t.name, t.revokedAt === null])).toEqual([
			['全国汇总', true],
			['全国汇总', false]
		]);
	});

	it('reads the token of a Bearer header only', () => {
		expect(bearerToken('Bearer xxyd_abc')).toBe('xxyd_abc');
		expect(bearerToken('bearer   xxyd_abc ')).toBe('xxyd_abc');
		for (const header of [null, '', 'Bearer', 'Bearer ', 'Basic eHg6eXk=', 'xxyd_abc', 'Bearer a b'])
			expect(bearerToken(header), String(header)).toBeNull();
	});
});

describe('periods', () => {
	it('runs from the first to the last Shanghai day of the period', () => {
		expect(periodRange('week', NOW)).toEqual({ from: '2026-11-23', to: '2026-11-29' });
		expect(periodRange('month', NOW)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
		expect(periodRange('month', new Date('2026-12-31T17:00:00Z'))).toEqual({
			from: '2027-01-01',
			to: '2027-01-31'
		});
		expect(periodRange('month', at('2028-02-10'))).toEqual({ from: '2028-02-01', to: '2028-02-29' });
		expect(periodRange('year', NOW)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
		expect(periodRange('all', NOW)).toEqual({ from: null, to: null });
	});

	it('takes week, month, year or all from the query, the month when absent', () => {
		expect(parseFigurePeriod(null)).toBe('month');
		expect(parseFigurePeriod('')).toBe('month');
		expect(parseFigurePeriod('week')).toBe('week');
		expect(parseFigurePeriod('all')).toBe('all');
		for (const bad of ['WEEK', 'day', 'month ', '1']) expect(parseFigurePeriod(bad)).toBeNull();
	});
});

/**
 * A small world counted by hand. 离石区: a, b, c (cadres), an office admin, d (deactivated), and h
 * who earned points here and moved to 孝义市. 孝义市: e, f. The school admin is nobody's member.
 */
async function smallWorld(db: Db) {
	const tree = seedTree(db);
	const u = async (
		username: string,
		officeId: number | null,
		role: 'cadre' | 'office_admin' | 'school_admin' = 'cadre'
	) => (await addUser(db, { username, officeId, role })).id;
	const a = await u('a', tree.lishi.id);
	const b = await u('b', tree.lishi.id);
	const c = await u('c', tree.lishi.id);
	const adm = await u('adm', tree.lishi.id, 'office_admin');
	const d = await u('d', tree.lishi.id);
	const h = await u('h', tree.lishi.id);
	const e = await u('e', tree.xiaoyi.id);
	const f = await u('f', tree.xiaoyi.id);
	await u('school', null, 'school_admin');

	give(db, a, tree.lishi.id, 3, '2026-11-24'); // this week
	give(db, a, tree.lishi.id, 5, '2026-11-02'); // this month, not this week
	give(db, b, tree.lishi.id, 2, '2026-10-10'); // this year only
	give(db, d, tree.lishi.id, 7, '2026-11-24'); // deactivated below
	give(db, h, tree.lishi.id, 6, '2026-11-24'); // moves away below
	give(db, e, tree.xiaoyi.id, 4, '2026-11-23');
	db.update(users).set({ active: false }).where(eq(users.id, d)).run();
	db.update(users).set({ officeId: tree.xiaoyi.id }).where(eq(users.id, h)).run();

	const school = db.insert(schools).values({ name: '中共吕梁市委党校' }).returning().get();
	const course = (dueOn: string) =>
		db
			.insert(courses)
			.values({
				schoolId: school.id,
				title: `到期${dueOn}`,
				hours: 2,
				required: true,
				opensOn: '2026-10-01',
				dueOn,
				createdAt: NOW,
				updatedAt: NOW
			})
			.returning()
			.get().id;
	const c1 = course('2026-11-20'); // this month, before this week
	const c2 = course('2026-11-24'); // this week, passed
	const c3 = course('2026-11-28'); // this week, not yet
	const enrol = (
		courseId: number,
		userId: number,
		completed: string | null,
		extra: { active?: boolean; dueOn?: string } = {}
	) =>
		db
			.insert(enrolments)
			.values({
				courseId,
				userId,
				enrolledAt: at('2026-10-01'),
				completedAt: completed ? at(completed) : null,
				...extra
			})
			.run();
	enrol(c1, a, '2026-11-19'); // on time
	enrol(c1, b, '2026-11-22'); // late
	enrol(c1, c, null); // overdue
	enrol(c1, adm, null, { dueOn: '2026-12-05' }); // a late joiner: own day not yet come
	enrol(c1, d, '2026-11-01'); // deactivated: not counted
	enrol(c2, a, '2026-11-24'); // on time, on the day
	enrol(c2, c, null); // overdue
	enrol(c2, e, null); // 孝义市, overdue
	enrol(c2, f, null, { active: false }); // withdrawn: not counted
	enrol(c3, a, '2026-11-25'); // done early: counts at once
	enrol(c3, b, null); // not yet due: not counted
	return tree;
}

describe('an instance’s figures', () => {
	let db: Db;
	beforeEach(() => {
		db = testDb();
	});

	it('count members, participants, points and courses per office, as counted by hand', async () => {
		const tree = await smallWorld(db);
		const counts = (f: InstanceFigures) =>
			f.offices.map((o) => [o.code, o.members, o.participants, o.points, o.coursesDue, o.coursesOnTime]);

		const week = instanceFigures(db, 'week', NOW);
		expect(week).toMatchObject({
			instance: '吕梁市人大常委会',
			period: 'week',
			from: '2026-11-23',
			to: '2026-11-29',
			generatedAt: NOW.toISOString()
		});
		expect(week.offices.map((o) => [o.code, o.name, o.parentCode])).toEqual([
			['lvliang', '吕梁市人大常委会', null],
			['lishi', '离石区人大常委会', 'lvliang'],
			['xiaoyi', '孝义市人大常委会', 'lvliang']
		]);
		// 离石区: a, b, c and the admin (d deactivated, h moved); only a studied this week (3).
		// Due this week: a and c in c2 (a on time), a in c3 (done early). 孝义市: e, f, h; e studied (4); e overdue in c2.
		expect(counts(week)).toEqual([
			['lvliang', 0, 0, 0, 0, 0],
			['lishi', 4, 1, 3, 3, 2],
			['xiaoyi', 3, 1, 4, 1, 0]
		]);
		// This month: a's 5 on 2 Nov too; c1 falls due as well (a on time, b late, c overdue; the admin's own day is in December).
		expect(counts(instanceFigures(db, 'month', NOW))).toEqual([
			['lvliang', 0, 0, 0, 0, 0],
			['lishi', 4, 1, 8, 6, 3],
			['xiaoyi', 3, 1, 4, 1, 0]
		]);
		// This year: b's 2 in October makes a second participant.
		expect(counts(instanceFigures(db, 'year', NOW))).toEqual([
			['lvliang', 0, 0, 0, 0, 0],
			['lishi', 4, 2, 10, 6, 3],
			['xiaoyi', 3, 1, 4, 1, 0]
		]);
		expect(instanceFigures(db, 'all', NOW)).toMatchObject({ from: null, to: null });

		// The same figures as 单位排行 (points/compare.ts) computes for the same offices.
		for (const kind of ['week', 'month', 'year', 'all'] as const) {
			const ours = instanceFigures(db, kind, NOW).offices.filter((o) => o.code !== 'lvliang');
			const theirs = compareOffices(db, [tree.lishi.id, tree.xiaoyi.id], kind, 'participation', NOW);
			for (const o of ours) {
				const t = theirs.find((x) => x.name === o.name)!;
				expect([o.members, o.participants, o.points], `${kind} ${o.code}`).toEqual([
					t.members,
					t.learners,
					t.points
				]);
			}
		}
		// Over all time 按期完成率 is 单位排行's: 3 of 6 for 离石区.
		const all = instanceFigures(db, 'all', NOW).offices.find((o) => o.code === 'lishi')!;
		expect(rates(all).onTime).toBe(50);
		expect(compareOffices(db, [tree.lishi.id], 'all', 'onTime', NOW)[0]!.onTime).toBe(50);
	});

	it('list every office before the offices below it, whatever order they were made in', () => {
		const root = db.insert(offices).values({ name: '山西省人大常委会', code: 'sx' }).returning().get();
		const late = db
			.insert(offices)
			.values({ name: '吕梁市人大常委会', code: 'lvliang', parentId: root.id })
			.returning()
			.get();
		db.insert(offices).values({ name: '离石区人大常委会', code: 'lishi', parentId: late.id }).run();
		const first = db
			.insert(offices)
			.values({ name: '太原市人大常委会', code: 'taiyuan', parentId: root.id, sortOrder: -1 })
			.returning()
			.get();
		db.update(offices).set({ parentId: first.id }).where(eq(offices.code, 'lishi')).run();
		expect(instanceFigures(db, 'month', NOW).offices.map((o) => o.code)).toEqual([
			'sx',
			'taiyuan',
			'lishi',
			'lvliang'
		]);
	});
});

/** A province of its own database: a root and two offices, `members` cadres each, the first `learners` of each with `points`. */
async function province(
	root: string,
	code: string,
	shape: { members: number; learners: number; points: number; due: number; onTime: number }
): Promise<InstanceFigures> {
	const db = testDb();
	const top = db.insert(offices).values({ name: root, code }).returning().get();
	const school = db
		.insert(schools)
		.values({ name: `${root}党校` })
		.returning()
		.get();
	const course = db
		.insert(courses)
		.values({
			schoolId: school.id,
			title: '专题班',
			hours: 2,
			required: true,
			opensOn: '2026-11-01',
			dueOn: '2026-11-10',
			createdAt: NOW,
			updatedAt: NOW
		})
		.returning()
		.get().id;
	for (const child of ['一', '二']) {
		const office = db
			.insert(offices)
			.values({ name: `${root}${child}`, code: `${code}${child === '一' ? 1 : 2}`, parentId: top.id })
			.returning()
			.get();
		for (let i = 0; i < shape.members; i++) {
			const id = (await addUser(db, { username: `${code}.${office.id}.${i}`, officeId: office.id })).id;
			if (i < shape.learners) give(db, id, office.id, shape.points, '2026-11-24');
			if (i < shape.due)
				db.insert(enrolments)
					.values({
						courseId: course,
						userId: id,
						enrolledAt: at('2026-11-01'),
						completedAt: i < shape.onTime ? at('2026-11-05') : null
					})
					.run();
		}
	}
	return instanceFigures(db, 'month', NOW);
}

describe('the national view', () => {
	it('sums two province databases: each province is the sum of its offices, the nation the sum of the provinces, rates from the sums', async () => {
		const sx = await province('山西省人大常委会', 'sx', {
			members: 5,
			learners: 5,
			points: 4,
			due: 4,
			onTime: 4
		});
		const ha = await province('河南省人大常委会', 'ha', {
			members: 1,
			learners: 0,
			points: 0,
			due: 1,
			onTime: 0
		});
		// Over the wire and back, as the national script reads them.
		const provinces = [
			{ label: '山西', figures: parseFigures(JSON.parse(JSON.stringify(sx))) },
			{ label: '河南', figures: parseFigures(JSON.parse(JSON.stringify(ha))) }
		];
		const n = aggregate(provinces);
		expect(n).toMatchObject({ period: 'month', from: '2026-11-01', to: '2026-11-30', warnings: [] });
		expect(n.provinces).toEqual([
			{
				label: '山西',
				instance: '山西省人大常委会',
				offices: 3,
				members: 10,
				participants: 10,
				points: 40,
				coursesDue: 8,
				coursesOnTime: 8,
				participation: 100,
				perCapita: 4,
				onTime: 100
			},
			{
				label: '河南',
				instance: '河南省人大常委会',
				offices: 3,
				members: 2,
				participants: 0,
				points: 0,
				coursesDue: 2,
				coursesOnTime: 0,
				participation: 0,
				perCapita: 0,
				onTime: 0
			}
		]);
		for (const [i, p] of provinces.entries())
			expect(sumCounts(p.figures.offices)).toEqual(sumCounts([n.provinces[i]!]));
		expect(n.national).toMatchObject({ label: '全国', offices: 6, ...sumCounts(n.provinces) });
		expect(sumCounts([n.national])).toEqual({
			members: 12,
			participants: 10,
			points: 40,
			coursesDue: 10,
			coursesOnTime: 8
		});
		// Recomputed from the sums (10/12, 40/12, 8/10), not the mean of the provinces' rates (50, 2, 50).
		expect(rates(n.national)).toEqual({ participation: 83.3, perCapita: 3.3, onTime: 80 });
		expect([n.national.participation, n.national.perCapita, n.national.onTime]).toEqual([83.3, 3.3, 80]);

		const table = textTable(n);
		expect(table).toContain('本月（2026-11-01 至 2026-11-30）');
		expect(table.split('\n').at(-1)).toMatch(/^全国\s+6\s+12\s+10\s+83\.3%\s+40\s+3\.3\s+10\s+8\s+80%$/);
	});

	it('has no rate without a denominator, refuses periods that differ and warns when the days differ', () => {
		expect(rates({ members: 0, participants: 0, points: 0, coursesDue: 0, coursesOnTime: 0 })).toEqual({
			participation: null,
			perCapita: null,
			onTime: null
		});
		const base: InstanceFigures = {
			instance: '甲',
			period: 'week',
			from: '2026-11-23',
			to: '2026-11-29',
			generatedAt: NOW.toISOString(),
			offices: []
		};
		expect(() => aggregate([])).toThrow('没有省份');
		expect(() =>
			aggregate([
				{ label: '甲', figures: base },
				{ label: '乙', figures: { ...base, period: 'month' } }
			])
		).toThrow('统计周期');
		const n = aggregate([
			{ label: '甲', figures: base },
			{ label: '乙', figures: { ...base, from: '2026-11-30', to: '2026-12-06' } }
		]);
		expect(n.warnings).toEqual([expect.stringContaining('乙的统计区间')]);
		expect(n.national).toMatchObject({ members: 0, participation: null, onTime: null });
	});

	it('refuses an answer that is not figures, in Chinese', () => {
		expect(() => parseFigures({ instance: 'x' })).toThrow('返回的数据格式不对');
		expect(() =>
			parseFigures({
				instance: 'x',
				period: 'week',
				from: null,
				to: null,
				generatedAt: '',
				offices: [
					{
						code: 'a',
						name: 'a',
						parentCode: null,
						members: -1,
						participants: 0,
						points: 0,
						coursesDue: 0,
						coursesOnTime: 0
					}
				]
			})
		).toThrow('offices.0.members');
	});

	it('writes a workbook with the table and every office, formula-like names made inert', async () => {
		const figures: InstanceFigures = {
			instance: '=HYPERLINK("http://evil","点我")',
			period: 'month',
			from: '2026-11-01',
			to: '2026-11-30',
			generatedAt: NOW.toISOString(),
			offices: [
				{
					code: 'x',
					name: '@SUM(A1)',
					parentCode: null,
					members: 4,
					participants: 1,
					points: 6,
					coursesDue: 0,
					coursesOnTime: 0
				}
			]
		};
		const provinces = [{ label: '+甲', figures }];
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(await nationalWorkbook(aggregate(provinces), provinces, NOW).xlsx.writeBuffer());
		const values = (name: string) =>
			workbook
				.getWorksheet(name)!
				.getSheetValues()
				.flatMap((row) => (Array.isArray(row) ? row.slice(1) : []));
		const summary = values('汇总');
		expect(summary).toContain("'+甲");
		expect(summary).toContain(`'=HYPERLINK("http://evil","点我")`);
		expect(summary).toContain('统计周期：本月（2026-11-01 至 2026-11-30）');
		expect(summary).toEqual(expect.arrayContaining(['全国', 4, 1, 25, 6, 1.5]));
		const rows = values('各单位');
		expect(rows).toEqual(expect.arrayContaining(["'+甲", 'x', "'@SUM(A1)", 4, 1, 25, 6, 1.5]));
		expect([...summary, ...rows].some((v) => typeof v === 'object' && v !== null && 'formula' in v)).toBe(
			false
		);
	});
});

describe('reading the provinces', () => {
	it('takes name=address=token', () => {
		expect(parseSource('山西=http://sx.xuexi.test:8080/=xxyd_abc')).toEqual({
			label: '山西',
			url: 'http://sx.xuexi.test:8080',
			token: 'xxyd_abc'
		});
		expect(parseSource('河南=https://ha.example.cn/xuexi=xxyd_x')).toMatchObject({
			url: 'https://ha.example.cn/xuexi'
		});
		expect(() => parseSource('山西')).toThrow('名称=地址=令牌');
		expect(() => parseSource('山西=xxyd_abc')).toThrow('名称=地址=令牌');
		expect(() => parseSource('山西=sx.example.cn=xxyd_abc')).toThrow('不是有效的网址');
		expect(() => parseSource('山西=ftp://sx.example.cn=xxyd_abc')).toThrow('不是有效的网址');
	});

	it('sends the token, and says which province refused and why', async () => {
		const figures: InstanceFigures = {
			instance: '山西省人大常委会',
			period: 'year',
			from: '2026-01-01',
			to: '2026-12-31',
			generatedAt: NOW.toISOString(),
			offices: []
		};
		const seen: { url: string; auth: string | null }[] = [];
		const answer = (status: number, body: unknown): typeof fetch =>
			(async (input: string | URL | Request, init?: RequestInit) => {
				seen.push({ url: String(input), auth: new Headers(init?.headers).get('authorization') });
				return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
			}) as typeof fetch;
		const source = parseSource('山西=http://sx.xuexi.test:8080=xxyd_abc');
		expect(await fetchFigures(source, 'year', answer(200, figures))).toEqual({ label: '山西', figures });
		expect(seen).toEqual([
			{ url: 'http://sx.xuexi.test:8080/api/figures?period=year', auth: 'Bearer xxyd_abc' }
		]);
		await expect(
			fetchFigures(source, 'year', answer(401, { message: '接口令牌无效或已被吊销' }))
		).rejects.toThrow('山西：接口令牌无效或已被吊销，请向该省系统管理员索取新的接口令牌');
		await expect(fetchFigures(source, 'year', answer(200, '<html>'))).rejects.toThrow('山西：');
		await expect(fetchFigures(source, 'year', answer(200, { offices: 1 }))).rejects.toThrow(
			'山西：返回的数据格式不对'
		);
		const down = (async () => {
			throw new TypeError('fetch failed');
		}) as typeof fetch;
		await expect(fetchFigures(source, 'year', down)).rejects.toThrow('山西：无法读取');
	});
});
