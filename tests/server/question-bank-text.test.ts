import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AlignmentType, Document, LevelFormat, Packer, Paragraph, TextRun } from 'docx';
import { parseText } from '../../src/lib/server/question-bank/text';
import { parseDocx, UNREADABLE_DOCX } from '../../src/lib/server/question-bank/docx';
import { ImportError } from '../../src/lib/server/question-bank/errors';
import { IMPORT_LIMITS, type SourceQuestion } from '../../src/lib/server/question-bank/types';
import { xlsxParts, zip } from '../helpers/zip';

const FIXTURE = readFileSync(new URL('../fixtures/question-bank/exam-paper.txt', import.meta.url), 'utf8');

/** The 1-based line of `text` that starts with `start` (so expectations name lines by their text). */
function lineOf(text: string, start: string): number {
	const index = text.split('\n').findIndex((l) => l.startsWith(start));
	if (index < 0) throw new Error(`no line starts with ${start}`);
	return index + 1;
}

/** A question with the fields a source left out at their empty values. */
function q(
	line: number,
	fields: Partial<SourceQuestion> & Pick<SourceQuestion, 'type' | 'stem' | 'answer'>
): SourceQuestion {
	return { line, options: [], explanation: '', difficulty: null, lesson: '', sourceRef: '', ...fields };
}

describe('parseText: the exam-paper fixture', () => {
	const at = (start: string) => lineOf(FIXTURE, start);
	const result = parseText(FIXTURE);

	it('reads every numbering style, option layout, answer placement and field line', () => {
		expect(result.questions.slice(0, 10)).toEqual([
			// No heading yet: the type is inferred. 1. with options two to a line, the answer in brackets.
			q(at('1. '), {
				type: 'single',
				stem: '党的二十大报告指出，中国式现代化是（　）的现代化。',
				options: ['少数人富裕', '人口规模巨大', '物质至上', '对外扩张'],
				answer: 1
			}),
			// 2、 options A、 on their own lines, several letters on the 答案 line: multiple.
			q(at('2、'), {
				type: 'multiple',
				stem: '中国式现代化的中国特色包括（　）。',
				options: ['人口规模巨大', '全体人民共同富裕', '物质文明和精神文明相协调', '走殖民掠夺的老路'],
				answer: [0, 1, 2]
			}),
			// 3． no options, 对/错 answer: true/false.
			q(at('3．'), { type: 'truefalse', stem: '报告指出，共同富裕可以在短期内一次性实现。', answer: false }),
			// （4） the answer written into the blank: fill-in.
			q(at('（4）'), {
				type: 'fill',
				stem: '中国式现代化是人与自然和谐共生的现代化，必须牢固树立和践行____的理念。',
				answer: [['绿水青山就是金山银山']]
			}),
			// 一、单项选择题; (5) full-width options on one line, 【答案】 and 【解析】.
			q(at('(5)'), {
				type: 'single',
				stem: '全面建设社会主义现代化国家，首要任务是（　）。',
				options: ['高质量发展', '科技创新', '乡村振兴', '对外开放'],
				answer: 0,
				explanation: '报告第四部分指出：“高质量发展是全面建设社会主义现代化国家的首要任务。”'
			}),
			// ６． full-width number, A: options, 答案 and 难度 on one line, a two-line 解析, 出处 and 课时.
			q(at('６．'), {
				type: 'single',
				stem: '发展全过程人民民主，必须坚持（　）。',
				options: ['党的领导', '多党轮流执政', '三权分立'],
				answer: 0,
				explanation:
					'报告第六部分指出，全过程人民民主是社会主义民主政治的本质属性。\n坚持党的领导、人民当家作主、依法治国有机统一。',
				difficulty: 1,
				lesson: '第2课',
				sourceRef: '报告第六部分第1段'
			}),
			// 第7题, A） options, （ C ） with spaces, 难度：中, 对应课时.
			q(at('第7题'), {
				type: 'single',
				stem: '报告指出，教育、科技、人才是全面建设社会主义现代化国家的（　）支撑。',
				options: ['一般性', '临时性', '基础性、战略性', '辅助性'],
				answer: 2,
				difficulty: 2,
				lesson: '科教兴国'
			}),
			// (A) options, 参考答案： with the answer on the next line, 难度：难.
			q(at('8. '), {
				type: 'single',
				stem: '党的二十大报告的主题中，“高举中国特色社会主义伟大旗帜”之后是（　）。',
				options: ['坚持改革开放', '推进依法治国', '全面从严治党', '全面贯彻新时代中国特色社会主义思想'],
				answer: 3,
				difficulty: 3
			}),
			// 二、多项选择题（每题2分，共10分）: letters in the brackets, six options two to a line.
			q(at('9. '), {
				type: 'multiple',
				stem: '报告强调，前进道路上必须牢牢把握的重大原则包括（　）。',
				options: [
					'坚持和加强党的全面领导',
					'坚持对外扩张',
					'坚持以人民为中心的发展思想',
					'坚持深化改革开放',
					'坚持平均主义',
					'坚持发扬斗争精神'
				],
				answer: [0, 2, 3, 5]
			}),
			// Eight options A–H, 答案：A、B、C、D、H.
			q(at('10. '), {
				type: 'multiple',
				stem: '全面依法治国，要坚持（　）。',
				options: [
					'科学立法',
					'严格执法',
					'公正司法',
					'全民守法',
					'法外开恩',
					'以罚代管',
					'选择执法',
					'全民普法'
				],
				answer: [0, 1, 2, 3, 7],
				explanation: '报告第七部分：“推进科学立法、严格执法、公正司法、全民守法”。'
			})
		]);
	});

	it('reads every spelling of a 判断 answer, in brackets or on the 答案 line', () => {
		const truefalse = result.questions.filter((x) => x.type === 'truefalse').slice(1);
		expect(truefalse).toEqual([
			q(at('11. '), {
				type: 'truefalse',
				stem: '全过程人民民主是社会主义民主政治的本质属性。',
				answer: true
			}),
			q(at('12. '), {
				type: 'truefalse',
				stem: '报告认为，实现中华民族伟大复兴可以轻轻松松、敲锣打鼓实现。',
				answer: false
			}),
			q(at('13. '), { type: 'truefalse', stem: '报告指出，必须坚持人民至上。', answer: true }),
			q(at('14. '), { type: 'truefalse', stem: '报告认为，发展可以不顾生态环境。', answer: false }),
			q(at('15. '), {
				type: 'truefalse',
				stem: '人民代表大会制度是实现我国全过程人民民主的重要制度载体。',
				answer: true
			}),
			q(at('16. '), { type: 'truefalse', stem: '乡村振兴只是农业部门的工作。', answer: false }),
			q(at('17. '), { type: 'truefalse', stem: '教育是国之大计、党之大计。', answer: true }),
			q(at('18. '), { type: 'truefalse', stem: '全面从严治党已经可以松口气、歇歇脚。', answer: false }),
			q(at('19. '), {
				type: 'truefalse',
				stem: '全面建设社会主义现代化国家，最艰巨最繁重的任务仍然在农村。',
				answer: true
			}),
			q(at('20. '), { type: 'truefalse', stem: '健康中国建设与人民群众无关。', answer: false }),
			q(at('21. '), {
				type: 'truefalse',
				stem: '报告提出，要把保障人民健康放在优先发展的战略位置。',
				answer: true
			}),
			q(at('22. '), { type: 'truefalse', stem: '报告认为，科技自立自强可有可无。', answer: false })
		]);
	});

	it('reads fill-in blanks written every way, with several blanks and accepted variants', () => {
		const fill = result.questions.filter((x) => x.type === 'fill').slice(1);
		expect(fill).toEqual([
			q(at('23. '), { type: 'fill', stem: '中国式现代化是____的现代化。', answer: [['人口规模巨大']] }),
			q(at('24. '), {
				type: 'fill',
				stem: '全面建成社会主义现代化强国，总的战略安排是分____走。',
				answer: [['两步', '2步']]
			}),
			q(at('25. '), {
				type: 'fill',
				stem: '从二〇二〇年到二〇三五年基本实现____；从二〇三五年到本世纪中叶把我国建成____。',
				answer: [['社会主义现代化'], ['富强民主文明和谐美丽的社会主义现代化强国']]
			}),
			q(at('26. '), {
				type: 'fill',
				stem: '全过程人民民主是最广泛、最____、最____的民主。',
				answer: [['真实'], ['管用']]
			}),
			q(at('27. '), {
				type: 'fill',
				stem: '全面依法治国要推进____、____、____。',
				answer: [['科学立法'], ['民主立法'], ['依法立法']]
			}),
			q(at('28. '), {
				type: 'fill',
				stem: '中国式现代化是物质文明和____文明相协调的现代化。',
				answer: [['精神']]
			}),
			q(at('29. '), {
				type: 'fill',
				stem: '教育、科技、人才是全面建设社会主义现代化国家的____支撑。',
				answer: [['基础性', '基础性、战略性']]
			}),
			q(at('30. '), {
				type: 'fill',
				stem: '报告提出，要加快建设____。',
				answer: [['教育强国', '教育强国、科技强国、人才强国']]
			})
		]);
	});

	it('says what each 简答 question lacks (its numbered answer lines stay with it), and nothing else', () => {
		expect(result.questions).toHaveLength(30);
		expect(result.problems).toEqual([
			{
				line: at('31. '),
				excerpt: '31. 简述中国式现代化的本质要求。',
				message: '简答题没有找到采分点：请另起一行写“采分点：要点一（3分）；要点二（2分）”',
				skipped: false
			},
			{
				line: at('32. '),
				excerpt: '32. 谈谈你对全过程人民民主的理解。',
				message: '简答题没有找到参考答案：请另起一行写“参考答案：……”',
				skipped: false
			}
		]);
	});
});

describe('parseText: 简答 questions', () => {
	it('reads the reference answer over several lines (its own numbered list included), the rubric and the limit', () => {
		const text = [
			'一、单项选择题',
			'1. 人大代表由谁选举产生？（A）',
			'A. 选民或下一级人大  B. 上级任命',
			'二、简答题（每题10分）',
			'2. （10分）简述中国式现代化的本质要求。',
			'参考答案：',
			'坚持中国共产党领导，坚持中国特色社会主义，',
			'1. 实现高质量发展；',
			'2. 发展全过程人民民主。',
			'采分点：坚持党的领导（4分）；高质量发展（3分）；全过程人民民主（3分）',
			'字数上限：３００字',
			'解析：见报告第三部分。',
			'难度：难',
			'3. 简述人大代表的主要职责。',
			'【参考答案】代表人民的利益和意志，依法行使职权。',
			'【采分点】',
			'（1）代表人民的利益和意志（2.5分）',
			'（2）依法行使职权（2.5分）',
			'出处：代表法',
			'4.【简答题】谈谈对全过程人民民主的理解。',
			'答：全过程人民民主是全链条、全方位、全覆盖的民主。',
			'评分要点：全链条（1分）；全方位(1分)；全覆盖（1 分）'
		].join('\n');
		const { questions, problems } = parseText(text);
		expect(problems).toEqual([]);
		expect(questions.slice(1)).toEqual([
			q(5, {
				type: 'essay',
				stem: '简述中国式现代化的本质要求。',
				answer: {
					reference:
						'坚持中国共产党领导，坚持中国特色社会主义，\n1. 实现高质量发展；\n2. 发展全过程人民民主。',
					rubric: [
						{ point: '坚持党的领导', points: 4 },
						{ point: '高质量发展', points: 3 },
						{ point: '全过程人民民主', points: 3 }
					],
					maxLength: 300
				},
				explanation: '见报告第三部分。',
				difficulty: 3
			}),
			q(14, {
				type: 'essay',
				stem: '简述人大代表的主要职责。',
				answer: {
					reference: '代表人民的利益和意志，依法行使职权。',
					rubric: [
						{ point: '代表人民的利益和意志', points: 2.5 },
						{ point: '依法行使职权', points: 2.5 }
					],
					maxLength: 500
				},
				sourceRef: '代表法'
			}),
			q(20, {
				type: 'essay',
				stem: '谈谈对全过程人民民主的理解。',
				answer: {
					reference: '全过程人民民主是全链条、全方位、全覆盖的民主。',
					rubric: [
						{ point: '全链条', points: 1 },
						{ point: '全方位', points: 1 },
						{ point: '全覆盖', points: 1 }
					],
					maxLength: 500
				}
			})
		]);
		expect(questions[0]).toMatchObject({ type: 'single', answer: 0 });
	});

	it('names what a 简答 question lacks or gets wrong, and imports none of it', () => {
		const text = [
			'五、简答题',
			'1. 没有参考答案的题。',
			'采分点：要点（3分）',
			'2. 没有采分点的题。',
			'参考答案：参考答案。',
			'3. 采分点没有分值的题。',
			'参考答案：参考答案。',
			'采分点：要点一（3分）；要点二',
			'4. 字数上限不是数的题。',
			'参考答案：参考答案。',
			'采分点：要点（3分）',
			'字数上限：很多',
			'5. 有选项的简答题。',
			'A. 甲',
			'B. 乙',
			'参考答案：参考答案。',
			'采分点：要点（3分）'
		].join('\n');
		const { questions, problems } = parseText(text);
		expect(questions).toEqual([]);
		expect(problems.map((p) => [p.line, p.message, p.skipped])).toEqual([
			[2, '简答题没有找到参考答案：请另起一行写“参考答案：……”', false],
			[4, '简答题没有找到采分点：请另起一行写“采分点：要点一（3分）；要点二（2分）”', false],
			[
				6,
				'采分点“要点二”没有写分值：采分点应写成“要点（分值）”，各条之间用“；”分隔，如：要点一（3分）；要点二（2分）',
				false
			],
			[9, '字数上限应为一个整数，如 500，不是“很多”', false],
			[13, '简答题不应有选项', false]
		]);
	});

	it('名词解释 and 案例分析 are still listed as skipped', () => {
		const { questions, problems } = parseText(['六、名词解释', '1. 全过程人民民主', '答：……'].join('\n'));
		expect(questions).toEqual([]);
		expect(problems).toEqual([
			{ line: 2, excerpt: '1. 全过程人民民主', message: '暂不支持名词解释，已跳过', skipped: true }
		]);
	});
});

describe('parseText: more layouts', () => {
	it('reads questions without numbers, each starting where the previous one’s options end', () => {
		const text = [
			'全面建设社会主义现代化国家，首要任务是（A）。',
			'A. 高质量发展',
			'B. 改革开放',
			'发展全过程人民民主，必须坚持（B）。',
			'A. 多党轮流执政',
			'B. 党的领导',
			'判断题',
			'共同富裕可以在短期内一次性实现。（×）',
			'教育是国之大计、党之大计。（√）'
		].join('\n');
		expect(parseText(text)).toEqual({
			questions: [
				q(1, {
					type: 'single',
					stem: '全面建设社会主义现代化国家，首要任务是（　）。',
					options: ['高质量发展', '改革开放'],
					answer: 0
				}),
				q(4, {
					type: 'single',
					stem: '发展全过程人民民主，必须坚持（　）。',
					options: ['多党轮流执政', '党的领导'],
					answer: 1
				}),
				q(8, { type: 'truefalse', stem: '共同富裕可以在短期内一次性实现。', answer: false }),
				q(9, { type: 'truefalse', stem: '教育是国之大计、党之大计。', answer: true })
			],
			problems: []
		});
	});

	it('reads type tags and scores in a question, 判断 as 正确/错误 options, and an explanation’s own numbered list', () => {
		const text = [
			'1.【多选题】（2分）中国式现代化的特征有（ ）',
			'A.人口规模巨大 B.共同富裕 C.对外扩张',
			'答案：AB',
			'解析：报告第三部分列举了五个方面：',
			'1. 人口规模巨大；',
			'2. 全体人民共同富裕。',
			'2.【判断题】共同富裕可以一次性实现。',
			'A.正确 B.错误',
			'答案：B',
			'3. 全面依法治国要坚持（A）。',
			'A.科学立法 B.以罚代管'
		].join('\n');
		expect(parseText(text).questions).toEqual([
			q(1, {
				type: 'multiple',
				stem: '中国式现代化的特征有（　）',
				options: ['人口规模巨大', '共同富裕', '对外扩张'],
				answer: [0, 1],
				explanation: '报告第三部分列举了五个方面：\n1. 人口规模巨大；\n2. 全体人民共同富裕。'
			}),
			q(7, { type: 'truefalse', stem: '共同富裕可以一次性实现。', answer: false }),
			q(10, {
				type: 'single',
				stem: '全面依法治国要坚持（　）。',
				options: ['科学立法', '以罚代管'],
				answer: 0
			})
		]);
	});

	it('reads 1.2022年 as question 1, and keeps a question that lost its number in a numbered paper', () => {
		const text = [
			'测试题（共3题）',
			'1.2022年10月，党的二十大在北京召开。（√）',
			'2. 教育是国之大计、党之大计。（√）',
			'二、单项选择题',
			'（本部分每题2分）',
			'全面建设社会主义现代化国家，首要任务是（A）。',
			'A. 高质量发展 B. 改革开放'
		].join('\n');
		expect(parseText(text)).toEqual({
			questions: [
				q(2, { type: 'truefalse', stem: '2022年10月，党的二十大在北京召开。', answer: true }),
				q(3, { type: 'truefalse', stem: '教育是国之大计、党之大计。', answer: true }),
				q(6, {
					type: 'single',
					stem: '全面建设社会主义现代化国家，首要任务是（　）。',
					options: ['高质量发展', '改革开放'],
					answer: 0
				})
			],
			problems: []
		});
	});

	it('takes Windows line ends, a byte-order mark and half-width punctuation alike', () => {
		const text =
			'\uFEFF三、判断题\r\n1) 报告指出，必须坚持人民至上。 (√)\r\n2．教育是国之大计。\r\n答案: F\r\n';
		expect(parseText(text)).toEqual({
			questions: [
				q(2, { type: 'truefalse', stem: '报告指出，必须坚持人民至上。', answer: true }),
				q(3, { type: 'truefalse', stem: '教育是国之大计。', answer: false })
			],
			problems: []
		});
	});
});

describe('parseText: problems', () => {
	const text = [
		'一、单项选择题',
		'1. 全过程人民民主是社会主义民主政治的（　）。',
		'A. 本质属性',
		'B. 重要形式',
		'2. 全面建设社会主义现代化国家的首要任务是（E）。',
		'A. 高质量发展 B. 改革开放 C. 科技创新 D. 乡村振兴',
		'3. 中国式现代化的特征是（AB）。',
		'A. 人口规模巨大 B. 共同富裕',
		'4. （B）',
		'A. 甲 B. 乙',
		'5. 报告指出（　）。',
		'A. 甲 B. 乙',
		'答案：A',
		'难度：很难',
		'6. 报告指出（　）。',
		'A. 甲',
		'C. 乙',
		'答案：A',
		'二、多项选择题',
		'7. 全面依法治国要坚持（B）。',
		'A. 科学立法 B. 严格执法 C. 公正司法',
		'三、判断题',
		'8. 共同富裕可以一次性实现。',
		'答案：也许',
		'9. 教育是国之大计。',
		'答案：对',
		'科技是第一生产力。',
		'答案：错',
		'四、填空题',
		'10. 全过程人民民主是最广泛、最（　）、最（　）的民主。',
		'答案：真实',
		`11. ${'中'.repeat(IMPORT_LIMITS.cellChars)}（人民）。`,
		'12. 中国式现代化是物质文明和____文明相协调的现代化。'
	].join('\n');
	const result = parseText(text);
	const problem = (start: string, message: string) => ({
		line: lineOf(text, start),
		excerpt: text.split('\n')[lineOf(text, start) - 1]!.slice(0, 60),
		message,
		skipped: false
	});

	it('names every question it cannot import with its line and a Chinese message, and imports none of them', () => {
		expect(result.questions).toEqual([]);
		expect(result.problems).toEqual([
			problem('1. ', '没有找到答案'),
			problem('2. ', '答案 E 没有对应的选项'),
			problem('3. ', '单选题只能有一个答案'),
			problem('4. ', '题干为空'),
			problem('5. ', '难度应为易、中或难，而不是“很难”'),
			problem('6. ', '选项应按 A、B、C… 的顺序排列：缺少选项 B'),
			problem('7. ', '多选题至少要有两个正确答案'),
			problem('8. ', '判断题的答案应为对或错'),
			problem('9. ', '这道题有两个答案行，可能是下一题缺少题号'),
			problem('10. ', '填空题空格数与答案数不一致：题干中有 2 个空，答案有 1 个'),
			problem('11. ', `题干文字超过 ${IMPORT_LIMITS.cellChars} 字`),
			problem('12. ', '没有找到答案')
		]);
	});

	it('reports an answer letter without options, and a 判断 answer on a question with options', () => {
		expect(parseText('1. 报告指出（C）。').problems.map((p) => p.message)).toEqual(['答案 C 没有对应的选项']);
		expect(parseText('三、判断题\n1. 报告指出（A）。\nA.甲 B.乙').problems.map((p) => p.message)).toEqual([
			'判断题不应有选项'
		]);
		expect(parseText('1. 报告指出（A）。\nA.甲 B.乙\n答案：B').problems.map((p) => p.message)).toEqual([
			'题干括号中的答案 A 与答案行的 B 不一致'
		]);
	});

	it('refuses text longer than the paste limit, or with more questions than one import may have', () => {
		expect(() => parseText('中'.repeat(IMPORT_LIMITS.pastedChars + 1))).toThrow(ImportError);
		expect(() => parseText('中'.repeat(IMPORT_LIMITS.pastedChars + 1))).toThrow(
			'文字超过 1,000,000 字：请分成几次导入'
		);
		expect(() => parseText('中'.repeat(101), 100)).toThrow('文字超过 100 字');
		const many = Array.from({ length: IMPORT_LIMITS.questions + 1 }, (_, i) => `${i + 1}. 甲（√）`).join(
			'\n'
		);
		expect(() => parseText(many)).toThrow('题目超过 10,000 道：请分成几个文件导入');
		const enough = Array.from({ length: IMPORT_LIMITS.questions }, (_, i) => `${i + 1}. 甲（√）`).join('\n');
		expect(parseText(`判断题\n${enough}`).questions).toHaveLength(IMPORT_LIMITS.questions);
	});

	it('reads 5,000 questions well within a second', () => {
		const blocks: string[] = [];
		for (let i = 1; i <= 5000; i++) {
			blocks.push(
				i % 2
					? `${i}. 全面建设社会主义现代化国家，第${i}题的首要任务是（\u3000）。\nA. 高质量发展    B. 改革开放\nC. 科技创新      D. 乡村振兴\n答案：A  难度：易\n解析：报告第四部分指出，高质量发展是首要任务。\n出处：报告第四部分`
					: `${i}. 中国式现代化是物质文明和____文明相协调的现代化（第${i}题）。\n答案：精神｜精神文明`
			);
		}
		const started = performance.now();
		const parsed = parseText(blocks.join('\n'));
		const took = performance.now() - started;
		expect(parsed.questions).toHaveLength(5000);
		expect(parsed.problems).toEqual([]);
		// Typically 60–150 ms; generous for a busy machine.
		expect(took).toBeLessThan(1000);
	});
});

// Word documents made here with the `docx` library, so that what is tested is what Word writes.

const NUMBERING = {
	config: [
		{
			reference: 'questions',
			levels: [
				{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START },
				{ level: 1, format: LevelFormat.UPPER_LETTER, text: '%2.', alignment: AlignmentType.START }
			]
		},
		{
			reference: 'options',
			levels: [{ level: 0, format: LevelFormat.UPPER_LETTER, text: '%1.', alignment: AlignmentType.START }]
		},
		{
			reference: 'headings',
			levels: [
				{ level: 0, format: LevelFormat.CHINESE_COUNTING, text: '%1、', alignment: AlignmentType.START }
			]
		}
	]
};

type Para =
	string | { text: string; list: 'questions' | 'options' | 'headings'; level?: number; instance?: number };

async function wordFile(paragraphs: Para[]): Promise<Uint8Array> {
	const doc = new Document({
		numbering: NUMBERING,
		sections: [
			{
				children: paragraphs.map((p) =>
					typeof p === 'string'
						? new Paragraph({ children: [new TextRun(p)] })
						: new Paragraph({
								children: [new TextRun(p.text)],
								numbering: { reference: p.list, level: p.level ?? 0, instance: p.instance }
							})
				)
			}
		]
	});
	return new Uint8Array(await Packer.toBuffer(doc));
}

describe('parseDocx', () => {
	it('reads a Word document of typed paragraphs exactly as the same text', async () => {
		const file = await wordFile(FIXTURE.replace(/\n$/, '').split('\n'));
		expect(await parseDocx(file)).toEqual(parseText(FIXTURE));
	});

	it('reads Word’s automatic numbering of questions, options and headings as the typed numbers', async () => {
		const word: Para[] = [
			{ text: '单项选择题', list: 'headings' },
			{ text: '全面建设社会主义现代化国家，首要任务是（A）。', list: 'questions' },
			{ text: '高质量发展', list: 'questions', level: 1 },
			{ text: '改革开放', list: 'questions', level: 1 },
			'解析：报告第四部分。',
			{ text: '发展全过程人民民主，必须坚持（　）。', list: 'questions' },
			'A. 党的领导',
			'B. 多党轮流执政',
			'答案：A',
			{ text: '判断题', list: 'headings' },
			{ text: '共同富裕可以在短期内一次性实现。（×）', list: 'questions' },
			{ text: '教育是国之大计、党之大计。', list: 'questions' },
			'答案：对',
			{ text: '多项选择题', list: 'headings' },
			{ text: '中国式现代化的中国特色包括（AB）。', list: 'questions' },
			{ text: '人口规模巨大', list: 'options', instance: 1 },
			{ text: '全体人民共同富裕', list: 'options', instance: 1 },
			{ text: '对外扩张', list: 'options', instance: 1 },
			'6. 全过程人民民主的特点有（BC）。',
			{ text: '少数人的民主', list: 'options', instance: 2 },
			{ text: '最广泛的民主', list: 'options', instance: 2 },
			{ text: '最真实的民主', list: 'options', instance: 2 }
		];
		const text = [
			'一、单项选择题',
			'1. 全面建设社会主义现代化国家，首要任务是（A）。',
			'A. 高质量发展',
			'B. 改革开放',
			'解析：报告第四部分。',
			'2. 发展全过程人民民主，必须坚持（　）。',
			'A. 党的领导',
			'B. 多党轮流执政',
			'答案：A',
			'二、判断题',
			'3. 共同富裕可以在短期内一次性实现。（×）',
			'4. 教育是国之大计、党之大计。',
			'答案：对',
			'三、多项选择题',
			'5. 中国式现代化的中国特色包括（AB）。',
			'A. 人口规模巨大',
			'B. 全体人民共同富裕',
			'C. 对外扩张',
			'6. 全过程人民民主的特点有（BC）。',
			'A. 少数人的民主',
			'B. 最广泛的民主',
			'C. 最真实的民主'
		].join('\n');
		const fromWord = await parseDocx(await wordFile(word));
		expect(fromWord.problems).toEqual([]);
		expect(fromWord.questions).toHaveLength(6);
		expect(fromWord).toEqual(parseText(text));
	});

	it('refuses a question with more than eight options numbered by Word', async () => {
		const options: Para[] = '甲乙丙丁戊己庚辛壬'
			.split('')
			.map((text) => ({ text, list: 'questions', level: 1 }));
		const parsed = await parseDocx(
			await wordFile([{ text: '报告指出（A）。', list: 'questions' }, ...options])
		);
		expect(parsed).toEqual({
			questions: [],
			problems: [{ line: 1, excerpt: '报告指出（A）。', message: '选项最多 8 个（A 到 H）', skipped: false }]
		});
	});

	it('reads line breaks inside a paragraph as lines of that paragraph', async () => {
		const doc = new Document({
			sections: [
				{
					children: [
						new Paragraph('三、判断题'),
						new Paragraph({
							children: [
								new TextRun('1. 共同富裕可以一次性实现。（×）'),
								new TextRun({ text: '解析：共同富裕是一个长期的历史过程。', break: 1 }),
								new TextRun({ text: '出处：报告第三部分', break: 1 })
							]
						}),
						new Paragraph('2. 教育是国之大计。（√）')
					]
				}
			]
		});
		const parsed = await parseDocx(new Uint8Array(await Packer.toBuffer(doc)));
		expect(parsed.questions).toEqual([
			q(2, {
				type: 'truefalse',
				stem: '共同富裕可以一次性实现。',
				answer: false,
				explanation: '共同富裕是一个长期的历史过程。',
				sourceRef: '报告第三部分'
			}),
			q(3, { type: 'truefalse', stem: '教育是国之大计。', answer: true })
		]);
	});

	it('refuses what is not a Word document, cleanly', async () => {
		const refused = async (bytes: Uint8Array) => {
			const error = await parseDocx(bytes).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(ImportError);
			return (error as Error).message;
		};
		expect(await refused(new TextEncoder().encode('1. 这是一个文本文件（√）'))).toBe(UNREADABLE_DOCX);
		expect(await refused(new Uint8Array(0))).toBe(UNREADABLE_DOCX);
		// A zip, but a workbook; and a Word file cut short.
		expect(await refused(zip(xlsxParts({ rows: '' })))).toBe(UNREADABLE_DOCX);
		const word = await wordFile(['1. 教育是国之大计。（√）']);
		expect(await refused(word.slice(0, word.length - 200))).toBe(UNREADABLE_DOCX);
	});

	it('refuses a zip bomb from its directory, one that understates its size, and one of too many parts', async () => {
		const huge = Buffer.alloc(IMPORT_LIMITS.unzippedBytes + 1, ' ');
		const contentTypes = { name: '[Content_Types].xml', data: '<Types/>' };
		const bomb = zip([contentTypes, { name: 'word/document.xml', data: huge }]);
		expect(bomb.length).toBeLessThan(200_000);
		await expect(parseDocx(bomb)).rejects.toThrow('这个 Word 文件解压后超过 50 MB');
		const liar = zip([contentTypes, { name: 'word/document.xml', data: huge, declaredSize: 1000 }]);
		await expect(parseDocx(liar)).rejects.toThrow(UNREADABLE_DOCX);
		const parts = Array.from({ length: 2001 }, (_, i) => ({ name: `word/media/${i}.xml`, data: '' }));
		await expect(parseDocx(zip([contentTypes, ...parts]))).rejects.toThrow('部件过多');
	});
});
