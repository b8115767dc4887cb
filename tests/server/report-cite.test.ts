import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { writePack, lesson, QUESTIONS } from '../helpers/pack';
import { ContentError, readPack } from '../../src/lib/server/content/pack';
import { loadReport, paragraphsById } from '../../src/lib/server/report/text';
import { citationProblem, tifaProblems } from '../../src/lib/server/report/cite';
import { NUMERALS, parseCitation, reportLink } from '../../src/lib/report-place';
import { saveLesson } from '../../src/lib/server/authoring';
import { authoringWorld, buildModule, textLesson } from './authoring-setup';

const report = loadReport();

describe('the report text', () => {
	it('has the opening, fifteen parts and the closing, numbered as published', () => {
		expect(report.parts.map((p) => p.label)).toEqual([
			'开篇',
			...NUMERALS.map((n) => `第${n}部分`),
			'结束语'
		]);
		const three = report.parts[3]!;
		expect(three.heading).toBe('新时代新征程中国共产党的使命任务');
		expect(three.sections).toHaveLength(0);
		expect(three.paragraphs[13]!.text).toMatch(/^全面建设社会主义现代化国家，是一项伟大而艰巨的事业/);
		expect(three.paragraphs[13]!.citation).toBe('第三部分 · 第14段');
		const six = report.parts[6]!;
		expect(six.intro).toHaveLength(2);
		expect(six.sections.map((s) => s.title)).toEqual([
			'加强人民当家作主制度保障',
			'全面发展协商民主',
			'积极发展基层民主',
			'巩固和发展最广泛的爱国统一战线'
		]);
		expect(six.sections[0]!.paragraphs[0]!.id).toBe('p6-1-1');
		expect(report.parts[16]!.paragraphs[0]!.text).toMatch(/^同志们！时代呼唤着我们/);
		// Anchors are unique across the report.
		const ids = report.parts.flatMap((p) => p.paragraphs.map((x) => x.id));
		expect(new Set(ids).size).toBe(ids.length);
		expect(paragraphsById(report).get('p3-14')!.citation).toBe('第三部分 · 第14段');
	});

	it('parses every way a place is written, and links it to the 原文 reader', () => {
		expect(parseCitation('第三部分 · 第14段')).toEqual({ part: 3, section: 0, index: 14 });
		expect(parseCitation('第六部分 · 导语第2段')).toEqual({ part: 6, section: 0, index: 2 });
		expect(parseCitation('第四部分 · （三）第1段')).toEqual({ part: 4, section: 3, index: 1 });
		expect(parseCitation('党的二十大报告 · 第六部分 · （一）第1段')).toEqual({
			part: 6,
			section: 1,
			index: 1
		});
		expect(parseCitation('结束语 · 第1段')).toEqual({ part: 16, section: 0, index: 1 });
		expect(parseCitation('第十六部分 · 第1段')).toBeNull();
		expect(reportLink('第四部分 · （三）第1段')).toEqual({
			href: '/learn/report/4?p=p4-3-1#p4-3-1',
			label: '原文 · 第四部分 · （三）第1段'
		});
		expect(reportLink('报告第六部分')!.href).toBe('/learn/report/6');
		expect(reportLink('代表法')).toBeNull();
	});
});

describe('the citation check', () => {
	const ARDUOUS = '全面建设社会主义现代化国家，是一项伟大而艰巨的事业，前途光明，任重道远。';

	it('accepts a verbatim quotation at its paragraph, and an ellipsis for omitted words', () => {
		expect(citationProblem(report, '第三部分 · 第14段', ARDUOUS)).toBeNull();
		expect(
			citationProblem(report, '第三部分 · 第14段', '全面建设社会主义现代化国家……前途光明，任重道远。')
		).toBeNull();
		expect(citationProblem(report, '第三部分 · 第14段', '……前途光明，任重道远。')).toBeNull();
		// A clause quoted from its start to its end is whole.
		expect(citationProblem(report, '第三部分 · 第14段', '前途光明，任重道远')).toBeNull();
	});

	it('refuses the wrong paragraph and says where the words do stand', () => {
		const problem = citationProblem(report, '第三部分 · 第13段', ARDUOUS)!;
		expect(problem).toContain('不在该段');
		const [message] = tifaProblems(report, `> [!提法] 第三部分 · 第13段\n> ${ARDUOUS}`);
		expect(message).toContain('这段话在第三部分 · 第14段');
	});

	it('refuses words dropped at the start or end without an ellipsis, and changed punctuation', () => {
		expect(citationProblem(report, '第三部分 · 第14段', '一项伟大而艰巨的事业，前途光明')).toMatch(
			/开头删去了原文的“是”/
		);
		expect(
			citationProblem(report, '第三部分 · 第14段', '全面建设社会主义现代化国家，是一项伟大而艰巨的事')
		).toMatch(/结尾删去了原文的“业”/);
		expect(
			citationProblem(report, '第六部分 · （一）第1段', '支持和保证人民通过人民代表大会行使国家权力。')
		).toContain('不在该段');
	});

	it('refuses a place that is not in the report', () => {
		expect(citationProblem(report, '第四部分 · （九）第1段', '')).toContain('第四部分没有（九）');
		expect(citationProblem(report, '第六部分 · 导语第3段', '')).toContain('导语只有 2 段');
		expect(citationProblem(report, '第六部分第一段', '')).toContain('无法识别的出处');
	});
});

describe('the content sync refuses a pack that misquotes or asks poor questions', () => {
	let pack: ReturnType<typeof writePack>;
	beforeEach(() => {
		pack = writePack();
	});
	afterEach(() => rmSync(pack.dir, { recursive: true, force: true }));

	function problems(): string[] {
		try {
			readPack(pack.dir);
			return [];
		} catch (e) {
			expect(e).toBeInstanceOf(ContentError);
			return (e as ContentError).problems.map((p) => `${p.file}：${p.message}`);
		}
	}

	it('accepts the good pack', () => {
		expect(problems()).toEqual([]);
	});

	it('a 提法 cited at the wrong paragraph, or with words dropped', () => {
		const wrong = lesson('lesson-one', '第一课', 1, '正文。').replace(
			'第六部分 · 导语第1段',
			'第六部分 · 导语第2段'
		);
		pack.write('demo/01-one.md', wrong);
		const dropped = lesson('lesson-two', '第二课', 2, '正文。').replace(
			'全过程人民民主是社会主义民主政治的本质属性',
			'人民民主是社会主义民主政治的本质属性'
		);
		pack.write('demo/02-two.md', dropped);
		const found = problems();
		expect(
			found.some((p) => p.startsWith('demo/01-one.md') && p.includes('这段话在第六部分 · 导语第1段'))
		).toBe(true);
		expect(found.some((p) => p.startsWith('demo/02-two.md') && p.includes('开头删去了原文的“全过程”'))).toBe(
			true
		);
	});

	it('a question without a source, or whose explanation misquotes the report', () => {
		pack.write(
			'demo/questions.yaml',
			QUESTIONS.replace(
				'  source: 第六部分 · 导语第1段\n  stem: 全过程人民民主是社会主义民主政治的',
				'  stem: 全过程人民民主是社会主义民主政治的'
			).replace(
				'explanation: 见第六部分导语。\n- id: q2',
				'explanation: 报告第六部分导语第1段指出：“全过程人民民主是最直接的民主。”\n- id: q2'
			)
		);
		const found = problems();
		expect(found).toContain(
			'demo/questions.yaml：第 1 题（q1）：缺少 source（题目依据的报告段落，如“第三部分 · 第14段”）'
		);
		pack.write(
			'demo/questions.yaml',
			QUESTIONS.replace(
				'explanation: 见第六部分导语。\n- id: q2',
				'explanation: 报告第六部分导语第1段指出：“全过程人民民主是最直接的民主。”\n- id: q2'
			)
		);
		expect(problems().some((p) => p.includes('第 1 题（q1）：解析中的引文') && p.includes('不在该段'))).toBe(
			true
		);
		// Quoting a wrong option without attributing it to the report is fine.
		pack.write(
			'demo/questions.yaml',
			QUESTIONS.replace(
				'explanation: 见第六部分导语。\n- id: q2',
				'explanation: “最直接的民主的重要形式”不是这里的提法。\n- id: q2'
			)
		);
		expect(problems()).toEqual([]);
	});

	it('a stem that contains the keyed answer', () => {
		pack.write(
			'demo/questions.yaml',
			QUESTIONS.replace(
				'stem: 全过程人民民主是社会主义民主政治的',
				'stem: 本质属性：全过程人民民主是社会主义民主政治的'
			)
		);
		expect(problems()).toContain('demo/questions.yaml：第 1 题（q1）：题干已包含正确答案“本质属性”');
	});

	it('too few false 判断题, and too few 情境题', () => {
		pack.write(
			'demo/questions.yaml',
			QUESTIONS.replace(/answer: false/g, 'answer: true').replace(/\n {2}applied: true/g, '')
		);
		const found = problems();
		expect(found).toContain(
			'demo/questions.yaml：判断题中答案为“错误”的只占 0%，至少要 40%（否则全答“正确”也能得高分）'
		);
		expect(found).toContain(
			'demo/questions.yaml：情境题（applied: true，把报告用到人大工作的情境中）只有 0 道，至少要占 30%（7 道）'
		);
	});

	it('single-choice keys that a learner could guess without reading: the longest option, the same letter', () => {
		// Every single-choice question keys its longer option, and the first.
		const cued = QUESTIONS.replace(
			/options: \[不予理会, 依法听取意见\]\n {2}answer: B/g,
			'options: [依法听取意见, 不予理会]\n  answer: A'
		)
			.replace(/依法听取意见/g, '依法听取各方面意见')
			.replace('options: [本质属性, 重要形式]', 'options: [本质属性和根本要求, 重要形式]');
		pack.write('demo/questions.yaml', cued);
		const found = problems();
		expect(found).toContain(
			'demo/questions.yaml：单选题中正确答案恰是最长选项的有 16 道（共 16 道，100%），至多 40%：不读题挑最长的也能答对，请把干扰项写得同样具体'
		);
		expect(found).toContain(
			'demo/questions.yaml：单选题的正确答案有 16 道都是 A（共 16 道），至多 50%：不打乱选项时（测验设置可以关掉打乱）一眼可猜，请把正确答案放在不同位置'
		);
	});

	it('a lesson too short, without its three parts, and a module with too few lessons or questions', () => {
		pack.write(
			'demo/03-three.md',
			'---\nslug: lesson-three\ntitle: 短\norder: 3\nsource:\n  part: 六\n  heading: 发展全过程人民民主，保障人民当家作主\n  paragraph: 1\n---\n\n## 报告怎么说\n\n太短。\n'
		);
		const found = problems();
		expect(found).toContain('demo/03-three.md：缺少小标题：## 对人大工作意味着什么、## 吕梁实践');
		expect(found.some((p) => /^demo\/03-three.md：正文 \d+ 字，应为 600–1500 字$/.test(p))).toBe(true);
		pack.write('demo/questions.yaml', QUESTIONS.split('- id: q15')[0]!);
		expect(problems()).toContain('demo/questions.yaml：题库只有 14 道题，至少要 20 道');
	});

	it('a lesson whose source names a paragraph or heading the report does not have', () => {
		pack.write(
			'demo/01-one.md',
			lesson('lesson-one', '第一课', 1, '正文。').replace('paragraph: 1', 'paragraph: 9')
		);
		pack.write(
			'demo/02-two.md',
			lesson('lesson-two', '第二课', 2, '正文。').replace(
				'heading: 发展全过程人民民主，保障人民当家作主',
				'heading: 全过程人民民主'
			)
		);
		const found = problems();
		expect(found).toContain('demo/01-one.md：source.paragraph：第六部分只有 6 段，没有第 9 段');
		expect(found).toContain(
			'demo/02-two.md：source.heading：第六部分的标题是“发展全过程人民民主，保障人民当家作主”，不是“全过程人民民主”'
		);
	});
});

describe('authors in the app get the same check', () => {
	it('a lesson with a misquoted 提法 is refused beside the body, with the same message', async () => {
		const world = await authoringWorld();
		const actor = world.actors.a1;
		const id = buildModule(world, actor);
		const body =
			'## 报告怎么说\n\n> [!提法] 党的二十大报告 · 第三部分 · 第13段\n> 全面建设社会主义现代化国家，是一项伟大而艰巨的事业，前途光明，任重道远。';
		const refused = saveLesson(world.db, actor, id, null, textLesson({ body }));
		expect(refused).toEqual({
			ok: false,
			errors: {
				body: expect.stringContaining('引文与党的二十大报告 · 第三部分 · 第13段原文不符')
			}
		});
		expect((refused as unknown as { errors: { body: string } }).errors.body).toContain(
			'这段话在第三部分 · 第14段'
		);
		const fixed = saveLesson(
			world.db,
			actor,
			id,
			null,
			textLesson({ body: body.replace('第13段', '第14段') })
		);
		expect(fixed.ok).toBe(true);
	});
});
