import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { eq, isNull } from 'drizzle-orm';
import { testDb, addUser, seedTree } from '../helpers/db';
import { writePack, lesson, MODULE, QUESTIONS } from '../helpers/pack';
import { syncContent } from '../../src/lib/server/content/sync';
import { ContentError, readPack } from '../../src/lib/server/content/pack';
import {
	lessonProgress,
	lessons,
	modules,
	pointsLedger,
	questions,
	themes
} from '../../src/lib/server/db/schema';
import { completeLesson } from '../../src/lib/server/learning/progress';
import { moduleCards } from '../../src/lib/server/learning/catalog';
import type { Db } from '../../src/lib/server/db';
import { NUMERALS } from '../../src/lib/report-place';

let db: Db;
let pack: ReturnType<typeof writePack>;

beforeEach(() => {
	db = testDb();
	pack = writePack();
});
afterEach(() => rmSync(pack.dir, { recursive: true, force: true }));

function snapshot() {
	return {
		themes: db.select().from(themes).all(),
		modules: db.select().from(modules).all(),
		lessons: db.select().from(lessons).all(),
		questions: db.select().from(questions).all()
	};
}

function expectRejected(fileEnd: string, message: string | RegExp) {
	const before = snapshot();
	let error: unknown;
	try {
		syncContent(db, pack.dir);
	} catch (e) {
		error = e;
	}
	expect(error).toBeInstanceOf(ContentError);
	const problems = (error as ContentError).problems;
	expect(
		problems.some(
			(p) =>
				p.file.endsWith(fileEnd) &&
				(typeof message === 'string' ? p.message.includes(message) : message.test(p.message))
		),
		JSON.stringify(problems)
	).toBe(true);
	expect(snapshot()).toEqual(before);
}

describe('the real content pack', () => {
	it('teaches every part of the report: each part, the opening and the closing has lessons, each theme a module', () => {
		const real = readPack('content');
		expect(real.modules.length).toBeGreaterThanOrEqual(21);
		for (const theme of real.themes)
			expect(
				real.modules.some((m) => m.meta.theme === theme.slug),
				theme.slug
			).toBe(true);
		const parts = new Set(
			real.modules.flatMap((m) =>
				m.lessons.map((l) => ('part' in l.meta.source ? l.meta.source.part : '补充材料'))
			)
		);
		for (const part of ['开篇', ...NUMERALS, '结束语']) expect(parts.has(part), part).toBe(true);
		// The supplementary module says what it rests on, and is not taken for report text.
		const supplement = real.modules.find((m) => m.meta.slug === 'npc-thought')!;
		for (const l of supplement.lessons) expect('supplement' in l.meta.source, l.file).toBe(true);
		for (const m of real.modules) {
			expect(m.lessons.length, m.meta.slug).toBeGreaterThanOrEqual(3);
			expect(m.lessons.length, m.meta.slug).toBeLessThanOrEqual(6);
			expect(m.questions.length, m.meta.slug).toBeGreaterThanOrEqual(20);
			expect(new Set(m.questions.map((q) => q.type)), m.meta.slug).toEqual(
				new Set(['single', 'multiple', 'truefalse', 'fill'])
			);
			expect(
				m.questions.filter((q) => q.applied).length / m.questions.length,
				m.meta.slug
			).toBeGreaterThanOrEqual(0.3);
			for (const l of m.lessons) {
				expect(
					m.questions.some((q) => q.lesson === l.meta.slug),
					`${l.file} is tested`
				).toBe(true);
			}
		}
	});

	it('syncs idempotently: the second run changes nothing', () => {
		const first = syncContent(db, 'content');
		expect(first.created).toBeGreaterThan(180);
		const before = snapshot();
		const second = syncContent(db, 'content');
		expect(second).toEqual({ created: 0, updated: 0, archived: 0, unchanged: first.created });
		expect(snapshot()).toEqual(before);
	});
});

describe('sync of a good pack', () => {
	it('renders the official wording as a quotation with its source, and strips unsafe HTML', () => {
		pack.write(
			'demo/02-two.md',
			lesson('lesson-two', '第二课', 2, '正文<script>alert(1)</script><img src=x onerror=alert(1)>')
		);
		syncContent(db, pack.dir);
		const one = db.select().from(lessons).where(eq(lessons.slug, 'lesson-one')).get()!;
		expect(one.bodyHtml).toContain(
			'<figure class="tifa"><blockquote>全过程人民民主是社会主义民主政治的本质属性'
		);
		expect(one.bodyHtml).toContain('<figcaption>报告原文 · 第六部分 · 导语第1段</figcaption>');
		const two = db.select().from(lessons).where(eq(lessons.slug, 'lesson-two')).get()!;
		expect(two.bodyHtml).not.toMatch(/<script|onerror|<img/);
		const synced = db.select().from(questions).all();
		expect(synced).toHaveLength(22);
		expect(synced.slice(0, 2).map((q) => [q.key, q.answer, q.sourceRef])).toEqual([
			['demo/q1', '0', '第六部分 · 导语第1段'],
			['demo/q2', '[["管用"]]', '第六部分 · 导语第1段']
		]);
	});

	it('an edited lesson is updated in place: same id, progress and points kept', async () => {
		syncContent(db, pack.dir);
		const office = seedTree(db).lishi;
		const user = await addUser(db, { username: 'reader', officeId: office.id });
		const l = db.select().from(lessons).where(eq(lessons.slug, 'lesson-one')).get()!;
		const t0 = new Date('2026-11-20T02:00:00Z');
		completeLesson(db, { id: user.id, officeId: office.id }, l.id, t0);
		completeLesson(
			db,
			{ id: user.id, officeId: office.id },
			l.id,
			new Date(t0.getTime() + l.minReadSeconds * 1000)
		);

		pack.write('demo/01-one.md', lesson('lesson-one', '第一课（修订）', 1, '第一课正文，已修订。'));
		expect(syncContent(db, pack.dir)).toMatchObject({ updated: 1, created: 0, archived: 0 });
		const after = db.select().from(lessons).where(eq(lessons.slug, 'lesson-one')).get()!;
		expect(after.id).toBe(l.id);
		expect(after.title).toBe('第一课（修订）');
		expect(after.bodyHtml).toContain('已修订');
		expect(db.select().from(lessonProgress).all()[0]!.completedAt).not.toBeNull();
		expect(db.select().from(pointsLedger).all()).toHaveLength(1);
		expect(moduleCards(db, user)[0]!.doneCount).toBe(1);
	});

	it('a removed lesson is archived, not deleted, and leaves the catalog; putting it back restores it', async () => {
		syncContent(db, pack.dir);
		const user = await addUser(db, { username: 'reader' });
		const four = db.select().from(lessons).where(eq(lessons.slug, 'lesson-four')).get()!;
		pack.remove('demo/04-four.md');
		pack.write('demo/questions.yaml', QUESTIONS.split('- id: q21')[0]!);
		expect(syncContent(db, pack.dir)).toMatchObject({ archived: 3 });
		const archived = db.select().from(lessons).where(eq(lessons.id, four.id)).get()!;
		expect(archived.archivedAt).not.toBeNull();
		expect(moduleCards(db, user)[0]!.lessonCount).toBe(3);
		expect(db.select().from(questions).where(isNull(questions.archivedAt)).all()).toHaveLength(20);
		pack.write('demo/04-four.md', lesson('lesson-four', '第四课', 4, '第四课正文。'));
		pack.write('demo/questions.yaml', QUESTIONS);
		syncContent(db, pack.dir);
		expect(db.select().from(lessons).where(eq(lessons.id, four.id)).get()!.archivedAt).toBeNull();
	});
});

describe('an invalid pack stops the sync, names the file and the problem, and changes nothing', () => {
	beforeEach(() => {
		syncContent(db, pack.dir);
		// Each case also edits something valid, to prove nothing of it is applied.
		pack.write('demo/01-one.md', lesson('lesson-one', '改了标题', 1, '第一课正文。'));
	});

	it('missing front matter', () => {
		pack.write('demo/02-two.md', '## 没有 front matter 的课程\n\n正文');
		expectRejected('demo/02-two.md', '缺少 front matter');
	});

	it('a front matter field missing', () => {
		pack.write('demo/module.md', MODULE.replace('minutes: 10\n', ''));
		expectRejected('demo/module.md', 'minutes');
	});

	it('a duplicate lesson slug', () => {
		pack.write('demo/05-five.md', lesson('lesson-two', '重复', 5, '正文'));
		expectRejected('demo/05-five.md', '课程 slug 重复：lesson-two');
	});

	it('a question without a correct answer', () => {
		pack.write('demo/questions.yaml', QUESTIONS.replace('answer: A', 'answer: D'));
		expectRejected('demo/questions.yaml', '没有正确答案');
	});

	it('a multiple-choice question with a single answer, and a fill-in whose blanks do not match', () => {
		pack.write(
			'demo/questions.yaml',
			QUESTIONS.replace('type: single', 'type: multiple')
				.replace('answer: A', 'answer: [A]')
				.replace('    - [管用]', '    - [管用]\n    - [多余]')
		);
		expectRejected('demo/questions.yaml', /至少要有两个不同的正确答案|答案/);
		expectRejected('demo/questions.yaml', '题干有 1 个空，但给出了 2 组答案');
	});

	it('an explanation that names an option by its letter (options are shuffled for the learner)', () => {
		pack.write(
			'demo/questions.yaml',
			QUESTIONS.replace('explanation: 见第六部分导语。', 'explanation: 见第六部分导语，B错误。')
		);
		expectRejected('demo/questions.yaml', /第 1 题（q1）：解析提到了选项字母/);
	});

	it('a 简答 (essay) question: the built-in banks are scored automatically', () => {
		pack.write(
			'demo/questions.yaml',
			QUESTIONS + '\n- id: q9\n  lesson: lesson-one\n  type: essay\n  stem: 简述。\n  explanation: 见正文。\n'
		);
		expectRejected('demo/questions.yaml', /第 \d+ 题（q9）：内容包不收简答题/);
	});

	it('a reference to an unknown lesson', () => {
		pack.write('demo/questions.yaml', QUESTIONS.replace('lesson: lesson-two', 'lesson: no-such-lesson'));
		expectRejected('demo/questions.yaml', '引用了本模块中不存在的课程“no-such-lesson”');
	});

	it('an unknown theme and broken YAML', () => {
		pack.write('demo/module.md', MODULE.replace('theme: democracy', 'theme: nowhere'));
		expectRejected('demo/module.md', '未知主题：nowhere');
		pack.write('demo/module.md', MODULE);
		pack.write('demo/questions.yaml', '- id: q1\n  stem: [unclosed');
		expectRejected('demo/questions.yaml', '无法解析');
	});
});
