import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { giftSkipped, parseGift, toGift } from '../../src/lib/server/question-bank/gift';
import { parseAiken, toAiken } from '../../src/lib/server/question-bank/aiken';
import { ImportError } from '../../src/lib/server/question-bank/errors';
import { IMPORT_LIMITS, type SourceQuestion } from '../../src/lib/server/question-bank/types';
import { DEFAULT_QUIZ, type ModuleDoc, type QuestionDoc } from '../../src/lib/server/authoring/doc';
import { parseQuestion, questionFields } from '../../src/lib/server/authoring/questions';

const fixture = (name: string) => readFileSync(`tests/fixtures/question-bank/${name}`, 'utf8');

/** What the preview shows of a question read from a file. */
const shape = (q: SourceQuestion) => ({
	line: q.line,
	type: q.type,
	stem: q.stem,
	options: q.options,
	answer: q.answer,
	explanation: q.explanation
});

const question = (over: Partial<QuestionDoc>): QuestionDoc => ({
	key: 'q1',
	type: 'single',
	stem: '题干',
	options: ['甲', '乙'],
	answer: 0,
	explanation: '解析',
	lessonKey: 'l1',
	difficulty: 2,
	sourceRef: '',
	...over
});

const moduleDoc = (questions: QuestionDoc[], over: Partial<ModuleDoc> = {}): ModuleDoc => ({
	title: '全过程人民民主',
	themeId: 1,
	summary: '简介',
	minutes: 30,
	creditHours: 1,
	inCatalog: true,
	intro: '',
	quiz: DEFAULT_QUIZ,
	lessons: [
		{ key: 'l1', title: '第一课 人民当家作主', kind: 'text', body: '正文', mediaId: null, source: null },
		{ key: 'l2', title: '第二课 {依法}治国：要点', kind: 'text', body: '正文', mediaId: null, source: null }
	],
	questions,
	...over
});

/** Every type, with the characters GIFT has to escape, line breaks and lookalikes of its syntax. */
const everyType: QuestionDoc[] = [
	question({
		key: 'q1',
		stem: '比例 3:1 写作 a=b？符号 ~ # { } 和 \\ 都是题目文字。\n第二行',
		options: ['{ 和 }', '= 号', '~ 号 # 号', '%5% 的增长', 'C:\\n 不是换行'],
		answer: 1,
		explanation: '第一行解析：a=b\n第二行 #### 不是分隔',
		lessonKey: 'l1',
		difficulty: 1,
		sourceRef: '报告第六部分第3段'
	}),
	question({
		key: 'q2',
		type: 'multiple',
		stem: '全过程人民民主的特点包括（　）。',
		options: ['全链条', '%10% 全方位', '全覆盖', '形式化'],
		answer: [0, 1, 2],
		explanation: '三项都是。',
		lessonKey: 'l2',
		difficulty: 3
	}),
	question({
		key: 'q3',
		type: 'multiple',
		stem: '两个正确答案',
		options: ['甲', '乙', '丙'],
		answer: [0, 2],
		explanation: '甲和丙',
		lessonKey: 'l2'
	}),
	question({
		key: 'q4',
		type: 'truefalse',
		stem: '人民代表大会制度是我国的根本政治制度。',
		options: [],
		answer: true,
		explanation: '见报告第六部分。'
	}),
	question({
		key: 'q5',
		type: 'truefalse',
		stem: '//这不是注释：以两个斜杠开头的题干',
		options: [],
		answer: false,
		explanation: '错误。'
	}),
	question({
		key: 'q6',
		type: 'fill',
		stem: '党的二十大于____年召开。',
		options: [],
		answer: [['2022', '二〇二二', '%100']],
		explanation: '2022 年 10 月。',
		difficulty: 3
	}),
	question({
		key: 'q7',
		type: 'fill',
		stem: '[html]党的二十大报告的主题是：____',
		options: [],
		answer: [['高举旗帜']],
		explanation: '见开篇。'
	}),
	question({
		key: 'q8',
		type: 'fill',
		stem: '____是全过程人民民主的重要制度载体。',
		options: [],
		answer: [['人民代表大会制度', '人大制度']],
		explanation: '人大制度。'
	}),
	question({
		key: 'q9',
		stem: '::不是标题:: 以双冒号开头的题干',
		options: ['[markdown] 选项', '乙'],
		answer: 1
	})
];

describe('GIFT in', () => {
	it('reads a Moodle export: categories, comments and titles ignored, every supported shape', () => {
		const { questions } = parseGift(fixture('moodle-export.gift'));
		expect(questions.map(shape)).toEqual([
			{
				line: 6,
				type: 'single',
				stem: '党的二十大的主题是什么？',
				options: [
					'高举中国特色社会主义伟大旗帜，全面贯彻新时代中国特色社会主义思想',
					'坚持和发展中国特色社会主义',
					'全面建成小康社会'
				],
				answer: 0,
				explanation: '主题见报告开篇。'
			},
			{
				line: 14,
				type: 'multiple',
				stem: '全过程人民民主的特点包括（　）。',
				options: ['全链条', '全方位', '全覆盖', '形式化'],
				answer: [0, 1, 2],
				explanation: ''
			},
			{
				line: 22,
				type: 'truefalse',
				stem: '人民代表大会制度是我国的根本政治制度。',
				options: [],
				answer: true,
				explanation: '正确，见报告第六部分。'
			},
			{
				line: 25,
				type: 'truefalse',
				stem: '全过程人民民主只体现在选举环节。',
				options: [],
				answer: false,
				explanation: ''
			},
			{
				line: 28,
				type: 'fill',
				stem: '党的二十大于哪一年召开？____',
				options: [],
				answer: [['2022', '二〇二二']],
				explanation: '2022 年 10 月召开。'
			},
			{
				line: 31,
				type: 'single',
				stem: '中国式现代化是____的现代化。',
				options: ['西方式', '人口规模巨大', '单一'],
				answer: 1,
				explanation: ''
			},
			{
				line: 34,
				type: 'single',
				stem: '比例 3:1 的写法是 a=b，符号 ~ # { } 都要转义。\n第二行。',
				options: ['{ 和 }', '= 号'],
				answer: 0,
				explanation: '解析第一行\n解析第二行'
			},
			{
				line: 40,
				type: 'truefalse',
				stem: '依法治国的总目标是建设中国特色社会主义法治体系。',
				options: [],
				answer: true,
				explanation: ''
			},
			{
				line: 42,
				type: 'single',
				stem: '**加粗**的题干',
				options: ['对', '错'],
				answer: 0,
				explanation: ''
			}
		]);
		expect(questions.every((q) => q.lesson === '' && q.difficulty === null && q.sourceRef === '')).toBe(true);
	});

	it('lists every type it cannot import as skipped, with the reason and the line where it starts', () => {
		const { problems } = parseGift(fixture('moodle-export.gift'));
		expect(problems.map((p) => [p.line, p.message, p.skipped])).toEqual([
			// A Moodle essay is our 简答, but it has no reference answer or rubric to import.
			[
				48,
				'论述题（essay）缺少参考答案和采分点：请在题目上方加注释行“// 参考答案：……”和“// 采分点：要点一（3分）；要点二（2分）”',
				false
			],
			[50, '不支持的题型：匹配题（matching），已跳过', true],
			[56, '不支持的题型：数值题（numerical），已跳过', true],
			[58, '不支持的题型：说明文字（description，没有用 {…} 写出的答案），已跳过', true]
		]);
		expect(problems[0]!.excerpt).toBe('::论述::请谈谈你对全过程人民民主的理解。{}');
		expect(problems.every((p) => p.excerpt.length <= 60)).toBe(true);
	});

	it('reports each malformed question at its line, and still reads the good ones', () => {
		const { questions, problems } = parseGift(fixture('malformed.gift'));
		expect(questions.map((q) => [q.line, q.stem])).toEqual([[23, '好题目']]);
		expect(problems.map((p) => [p.line, p.message, p.skipped])).toEqual([
			[2, '大括号不配对：答案部分缺少结尾的 }（若 { 是题目文字，请写成 \\{）', false],
			[4, '没有正确答案：请用 = 标出正确选项，或给正确选项正的权重（如 ~%50%）', false],
			[6, '至少要有两个选项', false],
			[8, '权重写法不对：%五十%（应为 %50% 这样的百分数）', false],
			[10, '一段里有不止一组 {…} 答案：题目之间要用空行隔开（若大括号是题目文字，请写成 \\{ \\}）', false],
			[13, '权重 150% 超出范围：应在 -100% 到 100% 之间', false],
			[15, '大括号不配对：答案部分缺少开头的 {（若 } 是题目文字，请写成 \\}）', false],
			[17, '选项要以 = 或 ~ 开头：“a”', false],
			[19, '选项最多 8 个（A–H），这道题有 9 个', false],
			[21, '没有正确答案：填空题至少要有一个得分的答案（=答案）', false]
		]);
		expect(problems[0]!.excerpt).toBe('第一题缺少结尾的大括号{=对 ~错');
	});

	it('counts any positive weight as right: one right option is single choice, several are multiple', () => {
		const read = (text: string) => parseGift(text).questions.map((q) => [q.type, q.answer]);
		expect(read('题{~%50%甲 ~乙 ~%-50%丙}')).toEqual([['single', 0]]);
		expect(read('题{~%-100%甲 ~%100%乙}')).toEqual([['single', 1]]);
		expect(read('题{=甲 =乙 ~丙}')).toEqual([['multiple', [0, 1]]]);
		expect(read('题{~%25%甲 ~%25%乙 ~%25%丙 ~%25%丁 ~%0%戊}')).toEqual([['multiple', [0, 1, 2, 3]]]);
		expect(read('题{~%14.28571%甲 ~%85.71429%乙 ~%-33.33333%丙}')).toEqual([['multiple', [0, 1]]]);
		// A short answer's variants with no or a positive weight are accepted; 0% and negative ones are not.
		expect(read('题{=%50%甲 =乙 =%0%丙 =%-20%丁}')).toEqual([['fill', [['甲', '乙']]]]);
	});

	it('takes the explanation from the general feedback, else from the right answers’ feedback, else leaves it empty', () => {
		const explanation = (text: string) => parseGift(text).questions[0]!.explanation;
		expect(explanation('题{=甲#对 ~乙#错 ####总的解析}')).toBe('总的解析');
		expect(explanation('题{=甲#甲是对的 ~乙#乙错}')).toBe('甲是对的');
		expect(explanation('题{~%50%甲#甲对 ~%50%乙#乙也对 ~%-100%丙#丙错}')).toBe('甲对\n乙也对');
		expect(explanation('题{T#答错时看到的解析}')).toBe('答错时看到的解析');
		expect(explanation('题{FALSE#答错时#答对时}')).toBe('答对时');
		expect(explanation('题{=甲#对的解析 =乙}')).toBe('对的解析');
		expect(explanation('题{=甲 ~乙}')).toBe('');
	});

	it('reads true/false in every spelling and short answers with the blank where the braces were', () => {
		const read = (text: string) => parseGift(text).questions.map((q) => [q.type, q.stem, q.answer]);
		expect(read('甲{T}\n\n乙{TRUE}\n\n丙{F}\n\n丁{FALSE}\n\n戊{true}')).toEqual([
			['truefalse', '甲', true],
			['truefalse', '乙', true],
			['truefalse', '丙', false],
			['truefalse', '丁', false],
			['truefalse', '戊', true]
		]);
		expect(read('党的二十大于{=2022 =二〇二二}年召开。')).toEqual([
			['fill', '党的二十大于____年召开。', [['2022', '二〇二二']]]
		]);
		expect(read('党的二十大于哪一年召开？ {=2022}')).toEqual([
			['fill', '党的二十大于哪一年召开？ ____', [['2022']]]
		]);
		expect(read('题干分两行\n{\n=甲\n~乙\n}')).toEqual([['single', '题干分两行', 0]]);
	});

	it('reads our comments for lesson, difficulty and source, and ignores every other comment and $CATEGORY', () => {
		const text = [
			'// question: 7  name: x',
			'// 课时：第一课 人民当家作主',
			'// 难度：难',
			'// 出处：报告第六部分第3段',
			'$CATEGORY: $course$/top/直接接着题目',
			'::名称::题{=甲 ~乙}',
			'',
			'// 难度：很难',
			'题二{T}',
			'',
			'// 只有注释的一段',
			'// 课时：不属于任何题目',
			'',
			'$CATEGORY: 另一类'
		].join('\r\n');
		const { questions, problems } = parseGift('\uFEFF' + text);
		expect(problems).toEqual([]);
		expect(questions.map((q) => [q.line, q.lesson, q.difficulty, q.sourceRef])).toEqual([
			[6, '第一课 人民当家作主', 3, '报告第六部分第3段'],
			[9, '', null, '']
		]);
	});

	it('strips format markers and turns Moodle HTML into plain text', () => {
		const [q] = parseGift(
			'[html]<p>第一段 &amp; 更多</p><p>第二段<br>换行 &lt;b&gt; &#20013;</p>{=[html]<b>甲</b> ~乙 ####[plain]<不是标签>}'
		).questions;
		expect([q!.stem, q!.options, q!.explanation]).toEqual([
			'第一段 & 更多\n第二段\n换行 <b> 中',
			['甲', '乙'],
			'<不是标签>'
		]);
	});

	it('refuses a file with too many questions or an over-long text, in Chinese', () => {
		const many = Array.from({ length: IMPORT_LIMITS.questions + 1 }, (_, i) => `第${i}题{T}`).join('\n\n');
		expect(() => parseGift(many)).toThrow(ImportError);
		expect(() => parseGift(many)).toThrow(`一次最多导入 ${IMPORT_LIMITS.questions} 道题，请分成几个文件导入`);
		const enough = Array.from({ length: IMPORT_LIMITS.questions }, (_, i) => `第${i}题{T}`).join('\n\n');
		expect(parseGift(enough).questions).toHaveLength(IMPORT_LIMITS.questions);

		const long = `题一{T}\n\n${'长'.repeat(IMPORT_LIMITS.cellChars + 1)}{=甲 ~乙}`;
		expect(() => parseGift(long)).toThrow(
			`第 3 行起的题目中有一段文字超过 ${IMPORT_LIMITS.cellChars} 个字，无法导入：请检查题目之间是否用空行隔开，或删减后重试`
		);
		const longOption = `题{=甲 ~${'长'.repeat(IMPORT_LIMITS.cellChars + 1)}}`;
		expect(() => parseGift(longOption)).toThrow(ImportError);
	});

	it('reads nothing from an empty or comment-only file', () => {
		expect(parseGift('')).toEqual({ questions: [], problems: [] });
		expect(parseGift('// 只有注释\n\n$CATEGORY: 空的\n\n   \n')).toEqual({ questions: [], problems: [] });
	});
});

describe('GIFT out', () => {
	it('writes the category, our comments, weights Moodle accepts and escapes', () => {
		const text = toGift(moduleDoc(everyType));
		expect(
			text.startsWith('// 学习园地题库导出：《全过程人民民主》，共 9 道题\n$CATEGORY: 全过程人民民主\n\n')
		).toBe(true);
		expect(text).toContain(
			'// 课时：第一课 人民当家作主\n// 难度：易\n// 出处：报告第六部分第3段\n比例 3\\:1 写作 a\\=b？'
		);
		expect(text).toContain('\t~%0%%5% 的增长');
		expect(text).toContain(
			'\t~%33.33333%全链条\n\t~%33.33333%%10% 全方位\n\t~%33.33333%全覆盖\n\t~%-100%形式化\n'
		);
		expect(text).toContain('\t~%50%甲\n\t~%-100%乙\n\t~%50%丙\n');
		expect(text).toContain('人民代表大会制度是我国的根本政治制度。{TRUE####见报告第六部分。}');
		expect(text).toContain('[moodle]//这不是注释');
		expect(text).toContain('党的二十大于{=2022 =二〇二二 =%100%%100 ####2022 年 10 月。}年召开。');
		expect(text).toContain('\t####第一行解析：a\\=b\\n第二行 \\#\\#\\#\\# 不是分隔\n');
		expect(giftSkipped(moduleDoc(everyType))).toBe(0);
	});

	it('round-trips every question GIFT can hold: type, stem, options, answer, explanation, lesson, difficulty, source', () => {
		const doc = moduleDoc(everyType);
		const { questions, problems } = parseGift(toGift(doc));
		expect(problems).toEqual([]);
		const byTitle = new Map(doc.lessons.map((l) => [l.title, l.key]));
		expect(
			questions.map((q) => ({
				type: q.type,
				stem: q.stem,
				options: q.options,
				answer: q.answer,
				explanation: q.explanation,
				lessonKey: byTitle.get(q.lesson),
				difficulty: q.difficulty,
				sourceRef: q.sourceRef
			}))
		).toEqual(
			everyType.map((q) => ({
				type: q.type,
				stem: q.stem,
				options: q.options,
				answer: q.answer,
				explanation: q.explanation,
				lessonKey: q.lessonKey,
				difficulty: q.difficulty,
				sourceRef: q.sourceRef
			}))
		);
		// What is read back passes the question form's checks.
		for (const [i, q] of questions.entries()) {
			const back = {
				...everyType[i]!,
				...q,
				lessonKey: byTitle.get(q.lesson)!,
				difficulty: q.difficulty ?? 2
			};
			expect(parseQuestion(doc, questionFields(back), back.key).ok).toBe(true);
		}
	});

	it('names a lesson by its key when two lessons share the title', () => {
		const doc = moduleDoc([question({ lessonKey: 'l2' })]);
		doc.lessons[0]!.title = doc.lessons[1]!.title;
		const [q] = parseGift(toGift(doc)).questions;
		expect(q!.lesson).toBe('l2');
	});

	it('leaves out a fill-in with several blanks, with a comment saying so', () => {
		const doc = moduleDoc([
			question({ key: 'q1' }),
			question({ key: 'q2', type: 'fill', stem: '____和____', options: [], answer: [['甲'], ['乙']] })
		]);
		const text = toGift(doc);
		expect(text).toContain('// 未导出（GIFT 的填空题（简答题）只能有一个空，这道题有 2 个空）：____和____');
		expect(giftSkipped(doc)).toBe(1);
		const { questions, problems } = parseGift(text);
		expect([questions.map((q) => q.stem), problems]).toEqual([['题干'], []]);
	});
});

describe('GIFT and 简答 (essay)', () => {
	const essay = question({
		key: 'q1',
		type: 'essay',
		stem: '简述全过程人民民主的内涵：a=b {甲} #乙',
		options: [],
		answer: {
			reference: '第一段：全链条、全方位、全覆盖。\n第二段 C:\\new 与 \\n 不是换行 {}#=~',
			rubric: [
				{ point: '全链条、全方位；全覆盖', points: 4 },
				{ point: '最广泛、最真实、最管用', points: 2.5 }
			],
			maxLength: 800
		},
		explanation: '',
		lessonKey: 'l2',
		difficulty: 3,
		sourceRef: '报告第六部分'
	});

	it('writes a 简答 as a Moodle essay {} with its key in our comments, and reads it back the same', () => {
		const doc = moduleDoc([essay, { ...essay, key: 'q2', stem: '第二题', explanation: '解析：见报告。' }]);
		const text = toGift(doc);
		expect(text).toContain(
			[
				'// 课时：第二课 {依法}治国：要点',
				'// 难度：难',
				'// 出处：报告第六部分',
				'// 参考答案：第一段：全链条、全方位、全覆盖。\\n第二段 C:\\\\new 与 \\\\n 不是换行 {}#=~',
				'// 采分点：全链条、全方位；全覆盖（4分）；最广泛、最真实、最管用（2.5分）',
				'// 字数上限：800',
				'简述全过程人民民主的内涵：a\\=b \\{甲\\} \\#乙{}'
			].join('\n')
		);
		expect(text).toContain('第二题{####解析：见报告。}');
		expect(giftSkipped(doc)).toBe(0);
		const { questions, problems } = parseGift(text);
		expect(problems).toEqual([]);
		expect(
			questions.map((q) => [q.type, q.stem, q.options, q.answer, q.explanation, q.difficulty, q.sourceRef])
		).toEqual([
			['essay', essay.stem, [], essay.answer, '', 3, '报告第六部分'],
			['essay', '第二题', [], essay.answer, '解析：见报告。', 3, '报告第六部分']
		]);
		// What is read back passes the question form's checks.
		const back = { ...essay, ...questions[0]!, lessonKey: 'l2', difficulty: 3 as const };
		expect(parseQuestion(doc, questionFields(back), 'q1')).toEqual({ ok: true, data: essay });
	});

	it('says what a Moodle essay lacks; a bad rubric or limit is a problem at the line of its text', () => {
		const text = [
			'// 参考答案：只有参考答案',
			'题一{}',
			'',
			'// 采分点：要点（3分）',
			'题二{}',
			'',
			'// 参考答案：参考答案',
			'// 采分点：要点一；要点二（2分）；要点三',
			'题三{}',
			'',
			'// 参考答案：参考答案',
			'// 采分点：要点（3分）',
			'// 字数上限：五百',
			'题四{}',
			'',
			'// 参考答案：参考答案',
			'// 采分点：要点（3分）',
			'::标题::题五 {####总体反馈}'
		].join('\n');
		const { questions, problems } = parseGift(text);
		expect(questions.map((q) => [q.line, q.stem, q.explanation, q.answer])).toEqual([
			[
				18,
				'题五',
				'总体反馈',
				{ reference: '参考答案', rubric: [{ point: '要点', points: 3 }], maxLength: 500 }
			]
		]);
		expect(problems.map((p) => [p.line, p.message, p.skipped])).toEqual([
			[2, '简答题缺少采分点：请在题目上方加注释行“// 采分点：要点一（3分）；要点二（2分）”', false],
			[5, '简答题缺少参考答案：请在题目上方加注释行“// 参考答案：……”', false],
			[
				9,
				'采分点“要点三”没有写分值：采分点应写成“要点（分值）”，各条之间用“；”分隔，如：要点一（3分）；要点二（2分）',
				false
			],
			[14, '字数上限应为一个整数，如 500，不是“五百”', false]
		]);
	});

	it('Aiken cannot hold a 简答: it is left out and counted', () => {
		const { text, skipped } = toAiken(moduleDoc([question({ key: 'q1' }), essay]));
		expect(skipped).toBe(1);
		expect(parseAiken(text).questions.map((q) => q.type)).toEqual(['single']);
	});
});

describe('Aiken', () => {
	it('reads a file with several-line stems, A. A) A． options and ANSWER lines, blank lines optional', () => {
		const { questions, problems } = parseAiken(fixture('aiken.txt'));
		expect(problems).toEqual([]);
		expect(questions.map(shape)).toEqual([
			{
				line: 1,
				type: 'single',
				stem: '全过程人民民主是社会主义民主政治的本质属性，是最广泛、最真实、最管用的民主。\n下列哪一项是党的二十大报告提出的？',
				options: ['发展全过程人民民主', '发展间接民主', '发展形式民主', '以上都不是'],
				answer: 0,
				explanation: ''
			},
			{
				line: 8,
				type: 'single',
				stem: '人民代表大会制度是我国的（　）。',
				options: ['根本政治制度', '基本政治制度', '重要政治制度'],
				answer: 0,
				explanation: ''
			},
			{
				line: 14,
				type: 'single',
				stem: '中国式现代化是人口规模巨大的现代化吗？',
				options: ['是', '不是'],
				answer: 0,
				explanation: ''
			}
		]);
	});

	it('reports each broken question at its line', () => {
		const { questions, problems } = parseAiken(fixture('aiken-errors.txt'));
		expect(questions.map((q) => [q.line, q.stem, q.answer])).toEqual([[30, '好题目', 1]]);
		expect(problems.map((p) => [p.line, p.message, p.skipped])).toEqual([
			[1, '至少要有两个选项', false],
			[5, '选项前面没有题干', false],
			[9, '答案 E 没有对应的选项', false],
			[14, '缺少 ANSWER 行（正确答案，如 ANSWER: B）', false],
			[18, 'Aiken 格式只有单选题，答案只能是一个字母（如 ANSWER: B），这里是“AB”', false],
			[23, 'ANSWER 行前面没有题目', false],
			[25, '选项字母顺序不对：这里应是 B，却是 C', false],
			[35, '缺少 ANSWER 行（正确答案，如 ANSWER: B）', false]
		]);
		expect(problems[0]!.excerpt).toBe('只有一个选项的题');
	});

	it('reports empty ANSWER lines, empty options and too many options', () => {
		const messages = (text: string) => parseAiken(text).problems.map((p) => p.message);
		expect(messages('题\nA. 甲\nB. 乙\nANSWER:')).toEqual([
			'ANSWER 行没有写出正确答案的字母（如 ANSWER: B）'
		]);
		expect(messages('题\nA. 甲\nB.\nANSWER: A')).toEqual(['选项 B 是空的']);
		const nine = 'ABCDEFGHI'.split('').map((l) => `${l}. ${l}`);
		expect(messages(['题', ...nine, 'ANSWER: A'].join('\n'))).toEqual([
			'选项最多 8 个（A–H），这道题有 9 个'
		]);
		expect(messages('题干\n没有选项\nANSWER: A')).toEqual(['没有选项：每个选项单独一行，以 A. 或 A) 开头']);
	});

	it('refuses a file with too many questions or an over-long text', () => {
		const many = Array.from(
			{ length: IMPORT_LIMITS.questions + 1 },
			() => '题\nA. 甲\nB. 乙\nANSWER: A'
		).join('\n');
		expect(() => parseAiken(many)).toThrow(
			`一次最多导入 ${IMPORT_LIMITS.questions} 道题，请分成几个文件导入`
		);
		const long = `${'长'.repeat(IMPORT_LIMITS.cellChars + 1)}\nA. 甲\nB. 乙\nANSWER: A`;
		expect(() => parseAiken(long)).toThrow(ImportError);
	});

	it('writes only single choice, counts the rest, and round-trips stem, options and answer', () => {
		const doc = moduleDoc(everyType);
		const { text, skipped } = toAiken(doc);
		expect(skipped).toBe(7);
		expect(text).toContain('D) %5% 的增长\nE) C:\\n 不是换行\nANSWER: B\n');
		const { questions, problems } = parseAiken(text);
		expect(problems).toEqual([]);
		const single = everyType.filter((q) => q.type === 'single');
		expect(questions.map((q) => [q.type, q.stem, q.options, q.answer])).toEqual(
			// A stem's line breaks become spaces, as Moodle writes Aiken.
			single.map((q) => ['single', q.stem.replace(/\n/g, ' '), q.options, q.answer])
		);
		expect(toAiken(moduleDoc([question({ type: 'truefalse', options: [], answer: true })]))).toEqual({
			text: '',
			skipped: 1
		});
	});
});
