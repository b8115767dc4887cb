import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { addUser, seedTree, testDb } from '../helpers/db';
import { lesson, MODULE, QUESTIONS, writePack } from '../helpers/pack';
import { syncContent } from '../../src/lib/server/content/sync';
import type { Db } from '../../src/lib/server/db';
import { lessons, modules, users } from '../../src/lib/server/db/schema';
import { openLesson, completeLesson } from '../../src/lib/server/learning/progress';
import { items, saveAnswer, startModuleAttempt, submitAttempt } from '../../src/lib/server/quiz/attempts';
import type { QuestionSnapshot, Response } from '../../src/lib/server/quiz/questions';
import { dashboardScope } from '../../src/lib/server/participation/scope';
import {
	completeReportPart,
	learnerCoverage,
	loadReport,
	officeCoverage,
	openReportPart,
	partMaterial,
	partModules,
	THIN_MATERIAL_BELOW,
	type PartCoverage
} from '../../src/lib/server/report';

/*
 * 学习地图 against a world small enough to count by hand.
 *
 * The pack: one module, lessons one–four on 第六部分 (导语第1段, which their 提法 quote too) and
 * lesson five on 第三部分 (第1段). Questions q1–q22 rest on 第六部分 · 导语第1段, q23–q25 on
 * 第三部分 · 第1段; the quiz draws all 25.
 *
 * 离石区 (under the city) has two active cadres, 甲 and 乙, plus an inactive cadre and its admin
 * (neither counts as a member); 孝义市 has one cadre, 丙.
 * - 甲 completes lessons one, two and five; answers six 第六部分 questions (2 right) and three
 *   第三部分 questions (1 right).
 * - 乙 completes lesson three, reads 第一部分 in the 原文 reader (it has no lessons); answers four
 *   第六部分 questions (3 right).
 * - 丙 reads 第六部分 in the 原文 reader and answers ten 第六部分 questions (all wrong).
 * - the inactive cadre completes lesson four and answers five 第六部分 questions wrongly.
 */

const T0 = new Date('2026-03-02T02:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

/**
 * A lesson of the pack's shape (on 第六部分 · 导语第1段) moved to another place in the report: its
 * source part and heading, and its 提法 quoting the paragraph there.
 */
function lessonAt(
	slug: string,
	title: string,
	order: number,
	body: string,
	place: { part: string; heading: string; citation: string; quote: string }
): string {
	return lesson(slug, title, order, body)
		.replace('part: 六', `part: ${place.part}`)
		.replace('heading: 发展全过程人民民主，保障人民当家作主', `heading: ${place.heading}`)
		.replace(/> \[!提法\] 第六部分 · 导语第1段\n> .*\n/, `> [!提法] ${place.citation}\n> ${place.quote}\n`);
}

/** Lesson five: on 第三部分 · 第1段. */
const lessonFive = () =>
	lessonAt('lesson-five', '第五课', 5, '第五课正文，讲中心任务。', {
		part: '三',
		heading: '新时代新征程中国共产党的使命任务',
		citation: '第三部分 · 第1段',
		quote:
			'从现在起，中国共产党的中心任务就是团结带领全国各族人民全面建成社会主义现代化强国、实现第二个百年奋斗目标，以中国式现代化全面推进中华民族伟大复兴。'
	});

/** Lesson six: on 结束语 · 第1段, the longest of the closing's four paragraphs. */
const lessonSix = () =>
	lessonAt('lesson-six', '第六课', 6, '第六课正文，讲三个务必。', {
		part: '结束语',
		heading: '结束语',
		citation: '结束语 · 第1段',
		quote: '同志们！时代呼唤着我们，人民期待着我们，唯有矢志不渝、笃行不怠，方能不负时代、不负人民。'
	});

/** Keys at A, B and C: with the pack's bank (half A, half B) no letter holds more than half the keys. */
const PART_THREE_QUESTIONS = (
	[
		[23, '[依法履职推进, 不予理会]', 'A'],
		[24, '[不予理会, 依法履职推进]', 'B'],
		[25, '[不予理会, 暂缓处理, 依法履职推进]', 'C']
	] as const
)
	.map(
		([n, options, answer]) =>
			`- id: q${n}\n  type: single\n  lesson: lesson-five\n  source: 第三部分 · 第1段\n  applied: true\n  stem: 情境第 ${n} 题，中心任务应当怎样落实？\n  options: ${options}\n  answer: ${answer}\n  explanation: 见第三部分第1段。`
	)
	.join('\n');

let db: Db;
let packDir: string;
const ids = { demo: 0, lesson: {} as Record<string, number> };
const people = {} as Record<
	'jia' | 'yi' | 'bing' | 'gone' | 'admin' | 'cityAdmin',
	{ id: number; officeId: number }
>;
let tree: ReturnType<typeof seedTree>;

/** One quiz attempt of `user` on the demo module: the questions `plan` names answered right or wrong. */
function sitQuiz(user: { id: number; officeId: number }, plan: Record<string, boolean>, at: Date) {
	const started = startModuleAttempt(db, user, ids.demo, at);
	if (!started.ok) throw new Error(started.message);
	for (const item of items(db, started.attemptId)) {
		const right = plan[item.snapshot.key.split('/').pop()!];
		if (right === undefined) continue;
		const res = saveAnswer(
			db,
			user.id,
			started.attemptId,
			item.position,
			{ response: right ? rightAnswer(item.snapshot) : wrongAnswer(item.snapshot) },
			later(1 + (at.getTime() - T0.getTime()) / 60_000)
		);
		expect(res).toEqual({ ok: true });
	}
	expect(submitAttempt(db, user.id, started.attemptId, new Date(at.getTime() + 120_000)).ok).toBe(true);
}

function rightAnswer(s: QuestionSnapshot): Response {
	if (s.type === 'fill') return (s.answer as string[][]).map((a) => a[0]!);
	return s.answer as Response;
}
function wrongAnswer(s: QuestionSnapshot): Response {
	if (s.type === 'single') return ((s.answer as number) + 1) % s.options.length;
	if (s.type === 'truefalse') return !(s.answer as boolean);
	if (s.type === 'multiple') return [0];
	return (s.answer as string[][]).map(() => '错');
}

/** Questions q<from>…q<to> of the plan, the first `right` of them answered right. */
function plan(from: number, to: number, right: number): Record<string, boolean> {
	const out: Record<string, boolean> = {};
	for (let n = from; n <= to; n++) out[`q${n}`] = n - from < right;
	return out;
}

function study(user: { id: number; officeId: number }, slug: string) {
	const id = ids.lesson[slug]!;
	openLesson(db, user.id, id, T0);
	expect(completeLesson(db, user, id, later(30)).ok).toBe(true);
}

function readOriginal(user: { id: number; officeId: number }, part: number) {
	openReportPart(db, user.id, part, T0);
	expect(completeReportPart(db, user, part, later(15)).ok).toBe(true);
}

/** Share of a part's characters in the given paragraphs. */
function share(part: number, paragraphIds: string[]): number {
	const p = loadReport().parts.find((x) => x.number === part)!;
	const total = p.paragraphs.reduce((n, x) => n + x.text.length, 0);
	return (
		p.paragraphs.filter((x) => paragraphIds.includes(x.id)).reduce((n, x) => n + x.text.length, 0) / total
	);
}

const byPart = (rows: PartCoverage[]) => new Map(rows.map((r) => [r.part, r]));

beforeAll(async () => {
	const pack = writePack();
	packDir = pack.dir;
	pack.write(
		'demo/module.md',
		MODULE.replace('draw: 2', 'draw: 25').replace('time_limit_minutes: 5', 'time_limit_minutes: 30')
	);
	pack.write('demo/05-five.md', lessonFive());
	pack.write('demo/06-six.md', lessonSix());
	pack.write('demo/questions.yaml', QUESTIONS + PART_THREE_QUESTIONS + '\n');
	db = testDb();
	syncContent(db, pack.dir);
	ids.demo = db.select().from(modules).where(eq(modules.slug, 'demo')).get()!.id;
	for (const l of db.select().from(lessons).all()) ids.lesson[l.slug] = l.id;

	tree = seedTree(db);
	const add = async (
		key: keyof typeof people,
		officeId: number,
		role: 'cadre' | 'office_admin' = 'cadre'
	) => {
		const u = await addUser(db, { username: key, officeId, role });
		people[key] = { id: u.id, officeId };
	};
	await add('jia', tree.lishi.id);
	await add('yi', tree.lishi.id);
	await add('bing', tree.xiaoyi.id);
	await add('gone', tree.lishi.id);
	await add('admin', tree.lishi.id, 'office_admin');
	await add('cityAdmin', tree.city.id, 'office_admin');

	const { jia, yi, bing, gone } = people;
	study(jia, 'lesson-one');
	study(jia, 'lesson-two');
	study(jia, 'lesson-five');
	sitQuiz(jia, { ...plan(1, 6, 2), ...plan(23, 25, 1) }, later(40));

	study(yi, 'lesson-three');
	readOriginal(yi, 1);
	sitQuiz(yi, plan(7, 10, 3), later(40));

	readOriginal(bing, 6);
	sitQuiz(bing, plan(11, 20, 0), later(40));

	study(gone, 'lesson-four');
	sitQuiz(gone, plan(1, 5, 0), later(40));
	db.update(users).set({ active: false }).where(eq(users.id, gone.id)).run();
});

afterAll(() => rmSync(packDir, { recursive: true, force: true }));

describe('学习地图 of a learner', () => {
	it('lists the seventeen parts with what the lessons teach of each', () => {
		const rows = learnerCoverage(db, people.jia.id);
		expect(rows.map((r) => r.label)).toEqual(loadReport().parts.map((p) => p.label));
		expect(rows).toHaveLength(17);
		const parts = byPart(rows);
		// Lessons one–four teach 第六部分's 导语第1段; lesson five 第三部分's 第1段; nothing else is taught.
		expect(parts.get(6)!.taught).toBeCloseTo(share(6, ['p6-1']), 10);
		expect(parts.get(3)!.taught).toBeCloseTo(share(3, ['p3-1']), 10);
		expect(parts.get(6)!.taught).toBeGreaterThan(0);
		expect(parts.get(6)!.taught).toBeLessThan(0.2);
		expect(parts.get(16)!.taught).toBeCloseTo(share(16, ['p16-1']), 10);
		expect(parts.get(6)!.lessonCount).toBe(4);
		expect(parts.get(3)!.lessonCount).toBe(1);
		expect(parts.get(16)!.lessonCount).toBe(1);
		for (const r of rows.filter((r) => ![3, 6, 16].includes(r.part))) {
			expect(r.taught, r.label).toBe(0);
			expect(r.lessonCount, r.label).toBe(0);
		}
	});

	it('counts the learner’s own lessons, 原文 reading and answers per part, with 难点 from three answers', () => {
		const jia = byPart(learnerCoverage(db, people.jia.id));
		// 甲: two of four 第六部分 lessons; 2 of 6 right → 难点. 第三部分: its one lesson; 1 of 3 right → 难点.
		expect(jia.get(6)).toMatchObject({
			studied: 0.5,
			originalRead: 0,
			answered: 6,
			correct: 2,
			difficult: true
		});
		expect(jia.get(6)!.accuracy).toBeCloseTo(2 / 6, 10);
		expect(jia.get(3)).toMatchObject({
			studied: 1,
			originalRead: 0,
			answered: 3,
			correct: 1,
			difficult: true
		});
		expect(jia.get(1)).toMatchObject({
			studied: 0,
			originalRead: 0,
			answered: 0,
			accuracy: null,
			difficult: false
		});

		const yi = byPart(learnerCoverage(db, people.yi.id));
		// 乙: one of four 第六部分 lessons, 3 of 4 right: no 难点. 第一部分 read in the 原文 (it has no lessons).
		expect(yi.get(6)).toMatchObject({
			studied: 0.25,
			answered: 4,
			correct: 3,
			accuracy: 0.75,
			difficult: false
		});
		expect(yi.get(1)).toMatchObject({ studied: 0, originalRead: 1, answered: 0, accuracy: null });
		expect(yi.get(3)).toMatchObject({ studied: 0, answered: 0, accuracy: null, difficult: false });
	});

	it('never shows a learner anyone else’s study: a cadre who did nothing sees an empty map', async () => {
		const fresh = await addUser(db, { username: 'fresh', officeId: tree.lishi.id });
		const rows = learnerCoverage(db, fresh.id);
		for (const r of rows) {
			expect(r, r.label).toMatchObject({
				studied: 0,
				originalRead: 0,
				answered: 0,
				correct: 0,
				accuracy: null,
				difficult: false
			});
		}
		// 乙 sees their own 3 of 4, not the office's or 甲's answers.
		expect(byPart(learnerCoverage(db, people.yi.id)).get(6)!.answered).toBe(4);
		db.delete(users).where(eq(users.id, fresh.id)).run();
	});

	it('counts only lessons the learner may study: another office’s module is not in their share', () => {
		// An office module of 孝义市 on 第六部分: 离石区's cadres cannot open it.
		const other = db
			.insert(modules)
			.values({
				...db.select().from(modules).where(eq(modules.id, ids.demo)).get()!,
				id: undefined,
				slug: 'xiaoyi-own',
				title: '孝义市自编模块',
				ownerOfficeId: tree.xiaoyi.id,
				contentHash: 'x'
			})
			.returning()
			.get();
		const base = db.select().from(lessons).where(eq(lessons.id, ids.lesson['lesson-one']!)).get()!;
		db.insert(lessons)
			.values({ ...base, id: undefined, moduleId: other.id, slug: 'xiaoyi-own-l1', contentHash: 'x' })
			.run();
		try {
			expect(byPart(learnerCoverage(db, people.jia.id)).get(6)).toMatchObject({
				lessonCount: 4,
				studied: 0.5
			});
			// 丙 of 孝义市 may study it: five lessons on 第六部分, none completed.
			// The map links each part to the modules the learner may open.
			expect(
				partModules(db, people.jia)
					.get(6)!
					.map((m) => m.href)
			).toEqual(['/learn/demo']);
			expect(
				partModules(db, people.bing)
					.get(6)!
					.map((m) => m.href)
			).toEqual(['/learn/demo', '/learn/xiaoyi-own']);
			expect(partModules(db, people.jia).get(1)).toBeUndefined();
			expect(byPart(learnerCoverage(db, people.bing.id)).get(6)).toMatchObject({
				lessonCount: 5,
				studied: 0
			});
		} finally {
			db.delete(lessons).where(eq(lessons.moduleId, other.id)).run();
			db.delete(modules).where(eq(modules.id, other.id)).run();
		}
	});
});

describe('学习地图 of an office', () => {
	it('counts its active cadres: who studied each part, who read the 原文, their answers, 难点 from ten', () => {
		const lishi = officeCoverage(db, [tree.lishi.id]);
		// 甲 and 乙; the inactive cadre and the admin are not members.
		expect(lishi.members).toBe(2);
		const parts = byPart(lishi.parts);
		// 第六部分: both completed a lesson; nobody read it; 2+3 of 6+4 right = 50 % over 10 → 难点.
		expect(parts.get(6)).toMatchObject({
			studied: 1,
			originalRead: 0,
			answered: 10,
			correct: 5,
			accuracy: 0.5,
			difficult: true
		});
		// 第三部分: 甲 only; 1 of 3 right, but three answers are too few for an office's 难点.
		expect(parts.get(3)).toMatchObject({
			studied: 0.5,
			originalRead: 0,
			answered: 3,
			correct: 1,
			difficult: false
		});
		// 第一部分: 乙 read it in the 原文 reader, which counts as studying it.
		expect(parts.get(1)).toMatchObject({ studied: 0.5, originalRead: 0.5, answered: 0, accuracy: null });
		// Nobody studied the rest.
		const unstudied = lishi.parts.filter((p) => p.studied === 0).map((p) => p.part);
		expect(unstudied).toEqual([0, 2, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
	});

	it('rolls up the tree: the city counts 孝义市 too', () => {
		const city = officeCoverage(db, [tree.city.id, tree.lishi.id, tree.xiaoyi.id]);
		expect(city.members).toBe(3);
		const parts = byPart(city.parts);
		// 第六部分: 甲 and 乙 by lessons, 丙 by the 原文; 5 of 20 right.
		expect(parts.get(6)).toMatchObject({
			studied: 1,
			answered: 20,
			correct: 5,
			accuracy: 0.25,
			difficult: true
		});
		expect(parts.get(6)!.originalRead).toBeCloseTo(1 / 3, 10);
		expect(parts.get(3)!.studied).toBeCloseTo(1 / 3, 10);

		const xiaoyi = byPart(officeCoverage(db, [tree.xiaoyi.id]).parts);
		expect(xiaoyi.get(6)).toMatchObject({
			studied: 1,
			originalRead: 1,
			answered: 10,
			correct: 0,
			difficult: true
		});
		expect(xiaoyi.get(3)).toMatchObject({ studied: 0, answered: 0 });
	});

	it('an office with no members shows zero shares, not a division by zero', () => {
		const none = officeCoverage(db, []);
		expect(none.members).toBe(0);
		for (const p of none.parts)
			expect(p, p.label).toMatchObject({ studied: 0, originalRead: 0, answered: 0, accuracy: null });
	});
});

describe('教材覆盖 of the party school', () => {
	it('shows every part’s taught share and lessons, and marks parts with no lesson or under 20 % taught', () => {
		const parts = new Map(partMaterial(db).map((p) => [p.part, p]));
		expect(parts.size).toBe(17);
		// 结束语 · 第1段 is 248 of the closing's 779 characters: enough material.
		expect(parts.get(16)!.taught).toBeGreaterThan(THIN_MATERIAL_BELOW);
		expect(parts.get(16)).toMatchObject({ lessonCount: 1, thin: false });
		// 第六部分's 导语第1段 is a small share of a long part: four lessons, still thin.
		expect(parts.get(6)!.taught).toBeLessThan(THIN_MATERIAL_BELOW);
		expect(parts.get(6)).toMatchObject({ lessonCount: 4, thin: true });
		expect(parts.get(1)).toMatchObject({ taught: 0, lessonCount: 0, thin: true });
		expect([...parts.values()].filter((p) => !p.thin).map((p) => p.label)).toEqual(['结束语']);
	});
});

describe('the scope of 单位学习地图', () => {
	const scoped = (actor: { id: number; officeId: number }, role: 'cadre' | 'office_admin', office?: number) =>
		dashboardScope(db, { ...actor, role }, new URLSearchParams(office ? { office: String(office) } : {}));

	it('an office admin sees their own office by default and refuses an office outside it', () => {
		const own = scoped(people.admin, 'office_admin');
		expect(own?.office.id).toBe(tree.lishi.id);
		expect(officeCoverage(db, own!.officeIds).members).toBe(2);
		expect(scoped(people.admin, 'office_admin', tree.xiaoyi.id)).toBeNull();
		expect(scoped(people.admin, 'office_admin', tree.city.id)).toBeNull();
	});

	it('the city admin sees the city rolled up and may switch to a child office', () => {
		const city = scoped(people.cityAdmin, 'office_admin');
		expect(officeCoverage(db, city!.officeIds).members).toBe(3);
		const child = scoped(people.cityAdmin, 'office_admin', tree.xiaoyi.id);
		expect(child?.office.name).toBe('孝义市人大常委会');
		expect(officeCoverage(db, child!.officeIds).members).toBe(1);
	});

	it('a cadre has no office map at all', () => {
		expect(scoped(people.jia, 'cadre')).toBeNull();
		expect(scoped(people.jia, 'cadre', tree.lishi.id)).toBeNull();
	});
});
