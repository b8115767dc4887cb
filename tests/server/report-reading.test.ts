import { beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { addUser, seedTree, testDb } from '../helpers/db';
import { createDb, migrateDb, type Db } from '../../src/lib/server/db';
import { lessons, modules, pointsLedger, reportReading, themes } from '../../src/lib/server/db/schema';
import {
	completeReportPart,
	lessonSourceId,
	loadReport,
	openReportPart,
	readingStatus,
	reportContents,
	reportPartPage,
	reportReadSeconds,
	searchReport,
	taughtParagraphs,
	REPORT_MAX_READ_SECONDS,
	REPORT_MIN_READ_SECONDS
} from '../../src/lib/server/report';
import { POINT_RULES } from '../../src/lib/server/points/rules';
import { sumPoints } from '../../src/lib/server/points/ledger';
import { match as isPart } from '../../src/params/part';

let db: Db;
let user: { id: number; officeId: number | null };

const T0 = new Date('2026-11-24T02:00:00Z'); // 10:00 in Shanghai
const seconds = (part: number) => reportReadSeconds(loadReport().parts[part]!.length);
const after = (at: Date, s: number) => new Date(at.getTime() + s * 1000);

/** Opens a part at `at` and completes it once its reading time has passed. */
function read(part: number, at: Date) {
	openReportPart(db, user.id, part, after(at, -seconds(part)));
	return completeReportPart(db, user, part, at);
}

const ledger = () => db.select().from(pointsLedger).all();
const rows = () => db.select().from(reportReading).all();

beforeEach(async () => {
	db = testDb();
	const office = seedTree(db).lishi;
	const u = await addUser(db, { username: 'reader', officeId: office.id });
	user = { id: u.id, officeId: office.id };
});

describe('the reading-time rule of the 原文', () => {
	it('is about 10 characters a second, at least 30 s and at most 600 s', () => {
		expect(reportReadSeconds(100)).toBe(REPORT_MIN_READ_SECONDS);
		expect(REPORT_MIN_READ_SECONDS).toBe(30);
		expect(reportReadSeconds(2957)).toBe(296);
		expect(reportReadSeconds(50_000)).toBe(REPORT_MAX_READ_SECONDS);
		expect(REPORT_MAX_READ_SECONDS).toBe(600);
		// 第一部分 is the longest: ten minutes, not the 11½ the rate would ask.
		expect(seconds(1)).toBe(600);
	});

	it('is a published points rule: 阅读报告原文, 2 points, at most 6 a day', () => {
		expect(POINT_RULES.report_read).toMatchObject({ label: '阅读报告原文', points: 2, dailyCap: 6 });
		expect(POINT_RULES.report_read.description).toContain('每个部分只计一次');
	});
});

describe('reading a part', () => {
	it('remembers when the server first showed the part; showing it again keeps that time', () => {
		openReportPart(db, user.id, 3, T0);
		openReportPart(db, user.id, 3, after(T0, 100));
		expect(rows()).toEqual([
			{ userId: user.id, part: 3, openedAt: T0, completedAt: null, completedDay: null }
		]);
		expect(readingStatus(db, user.id).get(3)).toEqual({ openedAt: T0, completedAt: null });
	});

	it('refuses too early with the seconds left in Chinese, and writes nothing', () => {
		openReportPart(db, user.id, 3, T0);
		const early = completeReportPart(db, user, 3, after(T0, 100));
		expect(early).toEqual({
			ok: false,
			reason: 'too-early',
			secondsLeft: seconds(3) - 100,
			message: `还不能记为读完：第三部分需要阅读满 ${seconds(3)} 秒，您还需阅读 ${seconds(3) - 100} 秒。`
		});
		expect(rows()[0]!.completedAt).toBeNull();
		expect(ledger()).toHaveLength(0);
	});

	it('a part the server never showed cannot be completed, and nothing is written', () => {
		const r = completeReportPart(db, user, 5, T0);
		expect(r).toMatchObject({ ok: false, reason: 'too-early', secondsLeft: seconds(5) });
		expect(rows()).toHaveLength(0);
		expect(ledger()).toHaveLength(0);
	});

	it('after the minimum time the part is read and pays 2 points once; repeats pay nothing', () => {
		openReportPart(db, user.id, 3, T0);
		const done = completeReportPart(db, user, 3, after(T0, seconds(3)));
		expect(done).toEqual({ ok: true, alreadyDone: false, awarded: 2, capped: false });
		for (let i = 1; i <= 3; i++)
			expect(completeReportPart(db, user, 3, after(T0, seconds(3) + i))).toEqual({
				ok: true,
				alreadyDone: true,
				awarded: 0,
				capped: false
			});
		expect(ledger()).toMatchObject([
			{
				userId: user.id,
				officeId: user.officeId,
				rule: 'report_read',
				points: 2,
				reason: '阅读报告原文第三部分',
				idempotencyKey: `report:${user.id}:3`,
				day: '2026-11-24'
			}
		]);
		expect(rows()[0]).toMatchObject({ completedAt: after(T0, seconds(3)), completedDay: '2026-11-24' });
		expect(reportContents(db, user).parts.find((p) => p.number === 3)).toMatchObject({ read: true });
		expect(reportContents(db, user).readCount).toBe(1);
	});

	it('caps the points at 6 a Shanghai day (three parts); later parts are still recorded as read', () => {
		const results = [0, 2, 3, 5].map((part, i) => read(part, after(T0, i * 60)));
		expect(results.map((r) => (r.ok ? r.awarded : -1))).toEqual([2, 2, 2, 0]);
		expect(results[3]).toMatchObject({ ok: true, alreadyDone: false, capped: true });
		expect(sumPoints(db, user.id, '2026-11-24', 'report_read')).toBe(6);
		expect(rows().filter((r) => r.completedAt)).toHaveLength(4);
		// The next Shanghai day pays again.
		expect(read(6, new Date('2026-11-25T01:00:00Z'))).toMatchObject({ ok: true, awarded: 2 });
	});

	it('refuses a part that is not in the report (0 开篇 … 16 结束语)', () => {
		for (const part of [-1, 17, 2.5, Number.NaN])
			expect(completeReportPart(db, user, part, T0)).toMatchObject({ ok: false, reason: 'missing' });
		expect(reportPartPage(db, user, 17, T0)).toBeUndefined();
		expect(rows()).toHaveLength(0);
		expect(['0', '9', '10', '16'].filter(isPart)).toEqual(['0', '9', '10', '16']);
		expect(['17', '-1', '03', '1.0', '', 'x', ' 3'].filter(isPart)).toEqual([]);
	});

	it('opening the part page starts the clock and shows the seconds left', () => {
		const page = reportPartPage(db, user, 16, T0)!;
		expect(page).toMatchObject({ label: '结束语', secondsLeft: seconds(16), done: false });
		expect(reportPartPage(db, user, 16, after(T0, 10))!.secondsLeft).toBe(seconds(16) - 10);
		expect(page.prev).toMatchObject({ number: 15, label: '第十五部分' });
		expect(page.next).toBeNull();
	});
});

describe('two server processes', () => {
	it('completing the same part at once on two connections pays once', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'report-race-'));
		try {
			const path = join(dir, 'app.db');
			const a = createDb(path);
			migrateDb(a);
			const office = seedTree(a).lishi;
			const u = await addUser(a, { username: 'racer', officeId: office.id });
			const b = createDb(path);
			openReportPart(a, u.id, 3, T0);
			const later = after(T0, seconds(3));
			const results = await Promise.all(
				[a, b, a, b].map(async (conn) =>
					completeReportPart(conn, { id: u.id, officeId: office.id }, 3, later)
				)
			);
			expect(results.filter((r) => r.ok && !r.alreadyDone)).toHaveLength(1);
			expect(results.every((r) => r.ok)).toBe(true);
			expect(b.select().from(pointsLedger).all()).toHaveLength(1);
			a.$client.close();
			b.$client.close();
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('which paragraphs lessons teach', () => {
	function addLesson(values: {
		slug: string;
		moduleId: number;
		sourcePart: string;
		sourceSection?: string | null;
		sourceParagraph: number;
		bodyMd: string;
		updatedAt?: Date;
	}) {
		return db
			.insert(lessons)
			.values({
				title: `课程${values.slug}`,
				sourceHeading: '',
				bodyHtml: '',
				plainText: '',
				charCount: 0,
				minReadSeconds: 15,
				contentHash: values.slug,
				updatedAt: T0,
				...values
			})
			.returning()
			.get();
	}

	function addModule(slug: string) {
		const theme =
			db.select().from(themes).get() ??
			db.insert(themes).values({ slug: 't', name: '主题' }).returning().get();
		return db
			.insert(modules)
			.values({
				slug,
				themeId: theme.id,
				title: `模块${slug}`,
				summary: '',
				minutes: 10,
				introHtml: '',
				quizDefaults: '{}',
				contentHash: slug,
				updatedAt: T0
			})
			.returning()
			.get();
	}

	const TIFA = [
		'## 报告怎么说',
		'',
		'> [!提法] 第三部分 · 第14段',
		'> 全面建设社会主义现代化国家，是一项伟大而艰巨的事业，前途光明，任重道远。',
		'',
		'> [!提法] 《中华人民共和国宪法》 · 第二条',
		'> 中华人民共和国的一切权力属于人民。'
	].join('\n');

	it("maps a lesson's front-matter paragraph and every paragraph its 提法 cite to the lesson", () => {
		const mod = addModule('cm');
		const lesson = addLesson({
			slug: 'l1',
			moduleId: mod.id,
			sourcePart: '三',
			sourceParagraph: 13,
			bodyMd: TIFA
		});
		const taught = taughtParagraphs(db);
		expect(taught.get('p3-14')).toEqual([
			{ lessonId: lesson.id, moduleId: mod.id, title: '课程l1', href: '/learn/cm/l1' }
		]);
		expect(taught.get('p3-13')?.map((l) => l.lessonId)).toEqual([lesson.id]);
		expect([...taught.keys()].sort()).toEqual(['p3-13', 'p3-14']);
		// The part page marks the paragraph with a link to the lesson.
		const page = reportPartPage(db, user, 3, T0)!;
		expect(page.intro.find((p) => p.id === 'p3-14')!.lessons).toEqual([
			{ title: '课程l1', href: '/learn/cm/l1' }
		]);
		expect(page.intro.find((p) => p.id === 'p3-1')!.lessons).toEqual([]);
		expect(reportContents(db, user).parts.find((p) => p.number === 3)!.lessons).toBe(1);
	});

	it('reads sections and leaves supplementary and archived lessons out; a changed lesson is read again', () => {
		const mod = addModule('npc');
		addLesson({
			slug: 'sup',
			moduleId: mod.id,
			sourcePart: '补充材料',
			sourceParagraph: 0,
			bodyMd: '不是报告原文。'
		});
		const l = addLesson({
			slug: 'demo',
			moduleId: mod.id,
			sourcePart: '六',
			sourceSection: '（一）加强人民当家作主制度保障',
			sourceParagraph: 1,
			bodyMd: '> [!提法] 第六部分 · 导语第1段\n> 全过程人民民主是社会主义民主政治的本质属性。'
		});
		expect([...taughtParagraphs(db).keys()].sort()).toEqual(['p6-1', 'p6-1-1']);
		db.update(lessons)
			.set({ bodyMd: '> [!提法] 结束语 · 第1段\n> ……', updatedAt: after(T0, 60) })
			.where(eq(lessons.id, l.id))
			.run();
		expect([...taughtParagraphs(db).keys()].sort()).toEqual(['p16-1', 'p6-1-1']);
		db.update(lessons)
			.set({ archivedAt: after(T0, 120) })
			.where(eq(lessons.id, l.id))
			.run();
		expect(taughtParagraphs(db).size).toBe(0);
		expect(lessonSourceId({ sourcePart: '开篇', sourceSection: null, sourceParagraph: 2 })).toBe('p0-2');
		expect(lessonSourceId({ sourcePart: '补充材料', sourceSection: null, sourceParagraph: 0 })).toBeNull();
		expect(lessonSourceId({ sourcePart: '三', sourceSection: null, sourceParagraph: 99 })).toBeNull();
	});
});

describe('search in the 原文', () => {
	it('finds the paragraphs that contain every word, marks them and links to the paragraph', () => {
		const found = searchReport('全过程人民民主');
		expect(found.total).toBeGreaterThan(3);
		const hit = found.hits.find((h) => h.id === 'p6-1')!;
		expect(hit.href).toBe('/learn/report/6?p=p6-1#p6-1');
		expect(hit.citation).toBe('第六部分 · 导语第1段');
		expect(hit.pieces.filter((p) => p.mark).map((p) => p.text)).toContain('全过程人民民主');
		expect(hit.pieces.map((p) => p.text).join('')).toContain('全过程人民民主是社会主义民主政治的本质属性');
		// Two words: both must be in the paragraph.
		const both = searchReport('全过程人民民主 制度');
		expect(both.total).toBeGreaterThan(0);
		expect(both.total).toBeLessThan(found.total);
		expect(both.hits.map((h) => h.id)).not.toContain('p6-1');
		expect(searchReport('没有这句话的原文').total).toBe(0);
		expect(searchReport('   ').terms).toEqual([]);
	});

	it('pages long result lists', () => {
		const first = searchReport('发展');
		expect(first.total).toBeGreaterThan(first.hits.length);
		const second = searchReport('发展', 2);
		expect(second.page).toBe(2);
		expect(second.hits[0]!.id).not.toBe(first.hits[0]!.id);
		expect(searchReport('发展', 999).page).toBe(first.pages);
	});
});
