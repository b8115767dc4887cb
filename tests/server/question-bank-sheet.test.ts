import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import {
	bankCsv,
	bankTemplateCsv,
	bankTemplateXlsx,
	bankXlsx,
	looksLikeSheet,
	parseSheet,
	SHEET_COLUMNS
} from '../../src/lib/server/question-bank/sheet';
import { ImportError } from '../../src/lib/server/question-bank/errors';
import type { ParseResult, SourceQuestion } from '../../src/lib/server/question-bank/types';
import { DEFAULT_QUIZ, type ModuleDoc, type QuestionDoc } from '../../src/lib/server/authoring/doc';
import type { EssayAnswer } from '../../src/lib/server/exams/types';
import { inlineRow, xlsxParts, zip } from '../helpers/zip';

type Cell = string | number | boolean | null | { formula: string; result: string };

/** An .xlsx written by exceljs (as Excel would save it): the rows on the first sheet. */
async function xlsx(rows: Cell[][], more?: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
	const wb = new ExcelJS.Workbook();
	const sheet = wb.addWorksheet('题库');
	for (const r of rows) sheet.addRow(r);
	more?.(wb);
	return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** CSV text (quoted where needed) of the rows. */
function csvText(rows: string[][], delimiter = ','): string {
	const quote = (c: string) => (/[",\t\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
	return rows.map((r) => r.map(quote).join(delimiter)).join('\r\n') + '\r\n';
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** What a question is, without where it stood. */
const shape = (q: SourceQuestion) => {
	const { line: _line, ...rest } = q;
	void _line;
	return rest;
};

/** Refused whole, with a Chinese message matching `message`. */
async function expectRefused(fileName: string, bytes: Uint8Array, message: string | RegExp, ms = 3000) {
	const started = performance.now();
	const error = await parseSheet(fileName, bytes).then(
		() => null,
		(e: unknown) => e
	);
	expect(error, String(message)).toBeInstanceOf(ImportError);
	expect((error as Error).message).toMatch(message);
	expect((error as Error).message).toMatch(/[\u4e00-\u9fff]/);
	expect(performance.now() - started).toBeLessThan(ms);
}

const HEADER = [...SHEET_COLUMNS];
const OPTS = (...o: string[]) => [...o, ...Array(8 - o.length).fill('')];
/** A row in the template's columns. */
const row = (
	type: string,
	stem: string,
	options: string[],
	answer: string,
	rest: {
		explanation?: string;
		difficulty?: string;
		lesson?: string;
		sourceRef?: string;
		rubric?: string;
		maxLength?: string;
	} = {}
) => [
	type,
	stem,
	...OPTS(...options),
	answer,
	rest.explanation ?? '解析',
	rest.difficulty ?? '',
	rest.lesson ?? '',
	rest.sourceRef ?? '',
	rest.rubric ?? '',
	rest.maxLength ?? ''
];

describe('the template', () => {
	it('has a question sheet first (header, one example per type) and a 说明 sheet, with column widths', async () => {
		const bytes = await bankTemplateXlsx();
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(bytes as unknown as ArrayBuffer);
		expect(wb.worksheets.map((s) => s.name)).toEqual(['题目', '说明']);
		const sheet = wb.worksheets[0]!;
		expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(HEADER);
		expect(sheet.getColumn(2).width).toBeGreaterThan(30);
		const guide = wb.worksheets[1]!;
		const guideText = guide
			.getSheetValues()
			.flat()
			.filter((v) => typeof v === 'string')
			.join('\n');
		for (const words of [
			'题型',
			'题干',
			'选项A～选项H',
			'答案',
			'解析',
			'难度',
			'对应课时',
			'原文出处',
			'采分点',
			'字数上限',
			'要点一（3分）；要点二（2分）',
			'您',
			'｜',
			'；'
		])
			expect(guideText).toContain(words);

		const parsed = await parseSheet('模板.xlsx', bytes);
		expect(parsed.problems).toEqual([]);
		expect(parsed.questions.map((q) => [q.line, q.type, q.answer])).toEqual([
			[2, 'single', 0],
			[3, 'multiple', [0, 1, 2]],
			[4, 'truefalse', true],
			[
				5,
				'fill',
				[
					['二〇二〇', '2020'],
					['二〇三五', '2035']
				]
			],
			[
				6,
				'essay',
				{
					reference:
						'人大代表应当通过多种方式经常联系原选区选民或者原选举单位，听取和反映人民群众的意见和要求，努力为人民服务，接受人民群众监督。',
					rubric: [
						{ point: '经常联系原选区选民或者原选举单位', points: 3 },
						{ point: '听取和反映人民群众的意见和要求', points: 3 },
						{ point: '努力为人民服务，接受监督', points: 2 }
					],
					maxLength: 300
				}
			]
		]);
		expect(parsed.questions[3]!.stem).toBe('报告提出，从____年到____年基本实现社会主义现代化。');
		expect(parsed.questions.map((q) => q.difficulty)).toEqual([1, 2, 1, 3, 2]);
		expect((sheet.getRow(6).values as unknown[]).slice(1, 3)).toEqual([
			'简答',
			'简述人大代表应当如何密切联系人民群众。'
		]);
		expect(sheet.getRow(6).getCell(17).value).toBe('300');
		expect(sheet.getRow(6).getCell(16).value).toBe(
			'经常联系原选区选民或者原选举单位（3分）；听取和反映人民群众的意见和要求（3分）；努力为人民服务，接受监督（2分）'
		);
	});

	it('as CSV is UTF-8 with a BOM and reads back as the same questions', async () => {
		const text = bankTemplateCsv();
		expect(text.startsWith('\uFEFF题型,题干,选项A')).toBe(true);
		const fromCsv = await parseSheet('模板.csv', utf8(text));
		const fromXlsx = await parseSheet('模板.xlsx', await bankTemplateXlsx());
		expect(fromCsv).toEqual(fromXlsx);
		expect(fromCsv.questions).toHaveLength(5);
	});
});

describe('reading a sheet of questions', () => {
	it('reads every supported shape, with the row number of each question', async () => {
		const file = await xlsx([
			['2024 年党校题库（示例）'],
			// Columns in another order, aliases, marks of required columns, an extra column.
			[
				'序号',
				'题型*',
				'题目',
				'正确答案',
				'选项 A',
				'选项B',
				'选项C',
				'选项D',
				'答案解析',
				'难度',
				'课时',
				'出处'
			],
			[1, '单选', '单选题题干', 'B', '甲', '乙', '丙', '丁', '因为乙', '易', '第一课', '报告第一部分'],
			[2, '单选题', '答案写成选项的文字', '丙', '甲', '乙', '丙', '', '', '', '', ''],
			[3, '单项选择题', '全角字母', 'Ｃ', '甲', '乙', '丙', '', '', '难', '', ''],
			[4, '多选', '多选 ACD', 'ACD', '甲', '乙', '丙', '丁', '', '中', '', ''],
			[5, '多选题', '多选 逗号', 'A,C,D', '甲', '乙', '丙', '丁'],
			[6, '多选题', '多选 顿号', 'D、A', '甲', '乙', '丙', '丁'],
			[7, '判断', '判断 对', '对'],
			[8, '判断题', '判断 ×', '×'],
			[9, '判断题', '判断 正确', '正确'],
			[10, '判断题', '判断 错误', '错误'],
			[11, '判断题', '判断 T', 't'],
			[12, '判断题', '判断 F', 'F'],
			[13, '判断题', '判断 √', '√'],
			[14, '判断题', '判断题写成选择题', 'B', '正确', '错误'],
			[15, '填空', '两个空____和（　）', '甲｜A；乙|B'],
			[16, '填空题', '下划线长短不一__________，括号（ ）', '一；二'],
			[17, '填空题', '答案在题干中【人民】和【民主】', ''],
			[18, '填空题', '一个空（）', '唯一'],
			[19, '名词解释题', '请解释全过程人民民主', ''],
			[20, '填空题', '逗号分隔的两个空____、____', '科学立法，民主立法'],
			[null, { formula: 'B3', result: '单选' }, '题型由公式算出', 'A', '甲', '乙'],
			[]
		]);
		const { questions, problems } = await parseSheet('题库.xlsx', file);
		expect(problems).toEqual([
			{
				line: 2,
				excerpt: '“序号”',
				message: '这些列不会导入：“序号”（可导入的列见模板的“说明”页）',
				skipped: true
			},
			{ line: 21, excerpt: '请解释全过程人民民主', message: '暂不支持名词解释题，已跳过', skipped: true }
		]);
		const by = (line: number) => questions.find((q) => q.line === line)!;
		expect(shape(by(3))).toEqual({
			type: 'single',
			stem: '单选题题干',
			options: ['甲', '乙', '丙', '丁'],
			answer: 1,
			explanation: '因为乙',
			difficulty: 1,
			lesson: '第一课',
			sourceRef: '报告第一部分'
		});
		expect([by(4).answer, by(4).options, by(4).explanation, by(4).difficulty]).toEqual([
			2,
			['甲', '乙', '丙'],
			'',
			null
		]);
		expect([by(5).answer, by(5).difficulty]).toEqual([2, 3]);
		expect([6, 7, 8].map((l) => [by(l).type, by(l).answer])).toEqual([
			['multiple', [0, 2, 3]],
			['multiple', [0, 2, 3]],
			['multiple', [0, 3]]
		]);
		expect([9, 10, 11, 12, 13, 14, 15, 16].map((l) => by(l).answer)).toEqual([
			true,
			false,
			true,
			false,
			true,
			false,
			true,
			false
		]);
		expect(by(16).options).toEqual([]);
		expect([by(17).stem, by(17).answer]).toEqual([
			'两个空____和____',
			[
				['甲', 'A'],
				['乙', 'B']
			]
		]);
		expect([by(18).stem, by(18).answer]).toEqual(['下划线长短不一____，括号____', [['一'], ['二']]]);
		expect([by(19).stem, by(19).answer]).toEqual(['答案在题干中____和____', [['人民'], ['民主']]]);
		expect([by(20).stem, by(20).answer]).toEqual(['一个空____', [['唯一']]]);
		expect(by(22).answer).toEqual([['科学立法'], ['民主立法']]);
		// A formula cell gives the value it was saved with; nothing is evaluated.
		expect([by(23).type, by(23).answer]).toEqual(['single', 0]);
		expect(questions).toHaveLength(20);
	});

	it('lists every row it cannot read whole with its row number and why, and keeps none of it', async () => {
		const file = await xlsx([
			HEADER,
			row('单选', '好的一题', ['甲', '乙'], 'A'),
			row('连连看', '不认识的题型', ['甲', '乙'], 'A'),
			row('', '没有题型', ['甲', '乙'], 'A'),
			row('单选', '', ['甲', '乙'], 'A'),
			row('单选', '没有答案', ['甲', '乙'], ''),
			row('单选', '答案超出选项', ['甲', '乙', '丙'], 'E'),
			row('多选', '多个答案超出选项', ['甲', '乙', '丙'], 'ADF'),
			row('单选', '单选两个答案', ['甲', '乙', '丙'], 'AB'),
			row('多选', '多选一个答案', ['甲', '乙', '丙'], 'B'),
			row('单选', '选项中间空着', ['甲', '', '丙'], 'A'),
			row('单选', '只有一个选项', ['甲'], 'A'),
			row('单选', '答案不是字母', ['甲', '乙'], '戊'),
			row('判断', '判断答案不对', [], '也许'),
			row('判断', '判断没有答案', [], ''),
			row('填空', '填空没有空', [], '甲'),
			row('填空', '两个空____和____', [], '甲'),
			row('填空', '两个空____和____ 空答案', [], '甲；｜'),
			row('填空', '填空没有答案____', [], ''),
			row('单选', '难度不对', ['甲', '乙'], 'A', { difficulty: '非常难' }),
			row('论述题', '论述', [], '')
		]);
		const { questions, problems } = await parseSheet('错误.xlsx', file);
		expect(questions.map((q) => [q.line, q.stem])).toEqual([[2, '好的一题']]);
		expect(problems.map((p) => [p.line, p.excerpt, p.message, p.skipped])).toEqual([
			[3, '不认识的题型', '不认识的题型“连连看”：请填写 单选、多选、判断、填空 或 简答', false],
			[4, '没有题型', '没有填写题型：请填写 单选、多选、判断、填空 或 简答', false],
			[5, '单选 甲 乙 A 解析', '题干是空的', false],
			[6, '没有答案', '没有正确答案：请在“答案”列填写正确选项的字母', false],
			[7, '答案超出选项', '答案 E 没有对应的选项', false],
			[8, '多个答案超出选项', '答案 D、F 没有对应的选项', false],
			[9, '单选两个答案', '单选题只能有一个答案（填写了 AB）：有多个正确答案时，题型请填“多选”', false],
			[
				10,
				'多选一个答案',
				'多选题至少要有两个正确答案（填写了 B）：只有一个正确答案时，题型请填“单选”',
				false
			],
			[11, '选项中间空着', '选项B是空的，但后面还有选项：请从选项A起依次填写', false],
			[12, '只有一个选项', '选择题至少要有两个选项', false],
			[13, '答案不是字母', '答案“戊”不是选项字母：请填写 A–H 中的字母，如 B 或 ACD', false],
			[14, '判断答案不对', '判断题的答案应为“对”或“错”（也可写 √ ×、正确 错误、T F），不是“也许”', false],
			[15, '判断没有答案', '没有正确答案：判断题请在“答案”列填写“对”或“错”', false],
			[16, '填空没有空', '填空题题干中没有空：请用 ____（四个下划线）或（\u3000）标出要填的地方', false],
			[
				17,
				'两个空____和____',
				'题干有 2 个空，但答案有 1 组：各空的答案用“；”分隔，同一空的几种答案用“｜”分隔',
				false
			],
			[18, '两个空____和____ 空答案', '第 2 空没有答案', false],
			[19, '填空没有答案____', '没有正确答案：请在“答案”列填写每个空的答案', false],
			[20, '难度不对', '难度应为 易、中 或 难（也可留空），不是“非常难”', false],
			[21, '论述', '没有参考答案：简答题请在“答案”列填写参考答案', false]
		]);
	});

	it('reads 简答 rows: 答案 is the reference answer, 采分点 the rubric, 字数上限 the limit', async () => {
		const file = await xlsx([
			HEADER,
			row('简答', '写法一', [], '第一段。\n第二段。', {
				rubric: '要点一（3分）；要点二（2分）',
				maxLength: '300'
			}),
			row('简答题', '写法二', [], '参考答案', {
				rubric: '1. 要点一 (3 分)\n2. 要点二（２.5分）\n',
				maxLength: '８００字'
			}),
			row('问答题', '写法三', [], '参考答案', { rubric: '①要点一；其中有分号（1分）;②要点二【2分】。' }),
			row('论述', '写法四', [], '参考答案', { rubric: '只有一点（10分）', explanation: '' }),
			row('简答', '没有参考答案', [], '', { rubric: '要点（3分）' }),
			row('简答', '没有采分点', [], '参考答案'),
			row('简答', '采分点没有分值', [], '参考答案', { rubric: '要点一（3分）；要点二；要点三' }),
			row('简答', '采分点只有分值', [], '参考答案', { rubric: '（3分）' }),
			row('简答', '字数不是数', [], '参考答案', { rubric: '要点（3分）', maxLength: '五百' }),
			row('简答', '简答有选项', ['甲', '乙'], '参考答案', { rubric: '要点（3分）' })
		]);
		const { questions, problems } = await parseSheet('简答.xlsx', file);
		expect(questions.map((q) => [q.line, q.type, q.stem, q.options, q.answer])).toEqual([
			[
				2,
				'essay',
				'写法一',
				[],
				{
					reference: '第一段。\n第二段。',
					rubric: [
						{ point: '要点一', points: 3 },
						{ point: '要点二', points: 2 }
					],
					maxLength: 300
				}
			],
			[
				3,
				'essay',
				'写法二',
				[],
				{
					reference: '参考答案',
					rubric: [
						{ point: '要点一', points: 3 },
						{ point: '要点二', points: 2.5 }
					],
					maxLength: 800
				}
			],
			[
				4,
				'essay',
				'写法三',
				[],
				{
					reference: '参考答案',
					rubric: [
						{ point: '要点一；其中有分号', points: 1 },
						{ point: '要点二', points: 2 }
					],
					maxLength: 500
				}
			],
			[
				5,
				'essay',
				'写法四',
				[],
				{ reference: '参考答案', rubric: [{ point: '只有一点', points: 10 }], maxLength: 500 }
			]
		]);
		expect(problems.map((p) => [p.line, p.message, p.skipped])).toEqual([
			[6, '没有参考答案：简答题请在“答案”列填写参考答案', false],
			[7, '没有采分点：简答题请在“采分点”列填写要点和分值，如 要点一（3分）；要点二（2分）', false],
			[
				8,
				'采分点“要点二；要点三”没有写分值：采分点应写成“要点（分值）”，各条之间用“；”分隔，如：要点一（3分）；要点二（2分）',
				false
			],
			[
				9,
				'采分点“（3分）”没有写分值：采分点应写成“要点（分值）”，各条之间用“；”分隔，如：要点一（3分）；要点二（2分）',
				false
			],
			[10, '字数上限应为一个整数，如 500，不是“五百”', false],
			[11, '简答题没有选项：请把选项列留空', false]
		]);
	});

	it('names the columns it does not import, headerless ones with content too', async () => {
		const file = await xlsx([
			['题型', '题干', '选项A', '选项B', '答案', '分值', '选项I', null],
			['单选', '题', '甲', '乙', 'A', 2, '丙', '备注'],
			['判断', '对的', null, null, '对', null, null, null]
		]);
		const { questions, problems } = await parseSheet('x.xlsx', file);
		expect(questions).toHaveLength(2);
		expect(questions[0]!.options).toEqual(['甲', '乙']);
		expect(problems).toEqual([
			{
				line: 1,
				excerpt: '“分值”、“选项I”、H 列（无表头）',
				message: '这些列不会导入：“分值”、“选项I”、H 列（无表头）（可导入的列见模板的“说明”页）',
				skipped: true
			}
		]);
	});

	it('refuses a sheet whose header lacks a required column, names none, repeats one, or holds no question', async () => {
		await expectRefused(
			'a.xlsx',
			await xlsx([
				['题干', '选项A', '解析'],
				['题', '甲', '']
			]),
			'表头缺少：题型、答案。请下载模板，按模板表头填写'
		);
		await expectRefused(
			'a.csv',
			utf8('姓名,登录名\r\n张三,zhangsan\r\n'),
			'没有找到表头：第一行应为 题型、题干、答案、选项A… 等列名'
		);
		// Data without a header: its option and answer cells (A, B…) do not make it one.
		await expectRefused('a.csv', utf8('单选,题,A,B,C,D,B\r\n'), '没有找到表头');
		await expectRefused(
			'a.xlsx',
			await xlsx([['题型', '题干', '答案', '正确答案']]),
			'表头中有两列“答案”（C 列和 D 列）：请只保留一列后重试'
		);
		await expectRefused(
			'a.xlsx',
			await xlsx([HEADER, ['', '', '', '', '', '', '', '', '', '', '']]),
			'表格中没有题目'
		);
		await expectRefused('a.csv', utf8(HEADER.join(',') + '\r\n'), '表格中没有题目');
	});

	it('refuses other kinds of file in Chinese', async () => {
		await expectRefused(
			'题库.xls',
			new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
			'旧版 .xls'
		);
		// A password-protected .xlsx is an OLE container too.
		await expectRefused(
			'题库.xlsx',
			new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
			'打开密码'
		);
		await expectRefused('题库.docx', await bankTemplateXlsx(), '不支持这种文件：请上传 .xlsx 或 .csv 文件');
		await expectRefused('题库.pdf', utf8('%PDF-1.7'), '不支持这种文件');
		await expectRefused('题库.xlsx', utf8('题型,题干,答案'), '无法读取该 Excel 文件');
		await expectRefused(
			'题库.xlsx',
			new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]),
			'无法读取该 Excel 文件'
		);
		await expectRefused('题库.csv', new Uint8Array(0), '文件是空的');
		await expectRefused(
			'题库.csv',
			new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1]),
			'文件不是表格'
		);
	});
});

describe('CSV in the encodings and separators Excel and WPS save', () => {
	const rows = [
		HEADER,
		row('单选', '全过程人民民主是社会主义民主政治的（　）。', ['本质属性', '基本特征'], 'A', {
			difficulty: '易'
		}),
		row('填空', '第一空____，第二空____，含逗号的"引号"', [], '甲｜A；乙'),
		row('判断', '多行的题干\n第二行', [], '√', { explanation: '解析，带逗号' }),
		row('判断', '𠀀 不在 GBK 中的字（GB18030 才有）', [], '错')
	];
	const expected = async () => (await parseSheet('x.xlsx', await xlsx(rows))).questions;

	it('reads UTF-8 with and without BOM, GB18030/GBK, and UTF-16 ("Unicode 文本", tab-separated) alike', async () => {
		const want = await expected();
		expect(want).toHaveLength(4);
		const comma = csvText(rows);
		const tab = csvText(rows, '\t');
		const bom = (b: Buffer, mark: number[]) => new Uint8Array([...mark, ...b]);
		const files: [string, Uint8Array][] = [
			['utf8.csv', utf8(comma)],
			['utf8-bom.csv', utf8('\uFEFF' + comma)],
			['gb18030.csv', new Uint8Array(iconv.encode(comma, 'gb18030'))],
			['utf16le.txt', bom(iconv.encode(tab, 'utf-16le'), [0xff, 0xfe])],
			['utf16be.txt', bom(iconv.encode(tab, 'utf-16be'), [0xfe, 0xff])],
			['tab-utf8.tsv', utf8(tab)]
		];
		for (const [name, bytes] of files) expect((await parseSheet(name, bytes)).questions, name).toEqual(want);
		// Plain GBK (what most Chinese Windows CSVs are), without the GB18030-only character.
		const gbk = new Uint8Array(iconv.encode(csvText(rows.slice(0, 4)), 'gbk'));
		expect((await parseSheet('gbk.csv', gbk)).questions).toEqual(want.slice(0, 3));
		expect(want[2]!.stem).toBe('多行的题干\n第二行');
	});

	it('tells a tab- or comma-separated question sheet from a text bank (for format detection)', () => {
		expect(looksLikeSheet(utf8(csvText(rows)))).toBe(true);
		expect(looksLikeSheet(new Uint8Array(iconv.encode('\uFEFF' + csvText(rows, '\t'), 'utf-16le')))).toBe(
			true
		);
		expect(looksLikeSheet(new Uint8Array(iconv.encode(csvText(rows), 'gbk')))).toBe(true);
		expect(looksLikeSheet(utf8('一、单项选择题\n1. 全过程人民民主是（　）\nA. 本质属性\n'))).toBe(false);
	});
});

describe('bounds: a hostile or oversized sheet is refused while being read', () => {
	const many = (n: number) => Array.from({ length: n }, (_, i) => row('判断', `第 ${i + 1} 题`, [], '对'));

	it('more than 10,000 questions are refused (CSV and .xlsx); exactly 10,000 are read', async () => {
		const over = csvText([HEADER, ...many(10_001)]);
		await expectRefused('many.csv', utf8(over), '一次最多导入 10000 道题，请分批导入');
		await expectRefused('many.xlsx', await xlsx([HEADER, ...many(10_001)]), '一次最多导入 10000 道题');
		const ok = await parseSheet('ok.csv', utf8(csvText([HEADER, ...many(10_000)])));
		expect(ok.questions).toHaveLength(10_000);
		expect(ok.questions.at(-1)!.line).toBe(10_001);
	}, 20_000);

	it('a cell over 3,000 characters (a 简答’s reference answer takes as many) is refused naming it; 3,000 are read', async () => {
		const long = '长'.repeat(3001);
		await expectRefused(
			'long.xlsx',
			await xlsx([HEADER, row('判断', long, [], '对')]),
			'第 2 行 B 列的内容超过 3000 个字：请检查该单元格后重试'
		);
		await expectRefused(
			'long.csv',
			utf8(csvText([HEADER, row('判断', '题', [], '对', { explanation: 'x'.repeat(4_000_000) })])),
			'第 2 行 L 列的内容超过 3000 个字'
		);
		const strings = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>${'x'.repeat(10_000_000)}</t></si></sst>`;
		const rows = `${inlineRow(1, ['题型', '题干', '答案'])}<row r="2"><c r="A2" t="inlineStr"><is><t>判断</t></is></c><c r="B2" t="s"><v>0</v></c></row>`;
		await expectRefused(
			'shared.xlsx',
			zip(xlsxParts({ rows, sharedStrings: strings })),
			'第 2 行 B 列的内容超过 3000 个字'
		);
		const fits = await parseSheet(
			'fits.xlsx',
			await xlsx([HEADER, row('简答', '题', [], '长'.repeat(3000), { rubric: '要点（3分）' })])
		);
		expect((fits.questions[0]!.answer as EssayAnswer).reference).toHaveLength(3000);
	});

	it('a zip bomb, too many parts, a far-out cell and endless blank rows are refused', async () => {
		const bomb = Buffer.alloc(64 * 1024 * 1024, '<row/>');
		await expectRefused(
			'bomb.xlsx',
			zip(xlsxParts({ xml: bomb })),
			'该 Excel 文件解压后超过 50 MB，不像是题库：请只保留题目表'
		);
		const parts = Array.from({ length: 600 }, (_, i) => ({ name: `xl/media/${i}.xml`, data: '' }));
		await expectRefused(
			'parts.xlsx',
			zip([...xlsxParts({ rows: inlineRow(1, ['题型', '题干', '答案']) }), ...parts]),
			'包含的部件过多（超过 500 个），不像是题库'
		);
		const far = `${inlineRow(1, ['题型', '题干', '答案'])}<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>`;
		await expectRefused(
			'far.xlsx',
			zip(xlsxParts({ rows: far })),
			'第 1048576 行第 XFD 列有内容，超过了 30 列',
			1000
		);
		const blank = HEADER.join(',') + '\r\n' + ',,,\r\n'.repeat(60_000);
		await expectRefused('blank.csv', utf8(blank), '表格超过 50000 行（含空行）：请删除题目下方多余的空行');
		await expectRefused('big.csv', new Uint8Array(8 * 1024 * 1024 + 1).fill(0x41), '文件超过 8 MB');
	});
});

describe('export, and the round trip back', () => {
	const question = (key: string, q: Omit<QuestionDoc, 'key'>): QuestionDoc => ({ key, ...q });
	const doc: ModuleDoc = {
		title: '全过程人民民主',
		themeId: 1,
		summary: '',
		minutes: 30,
		creditHours: 0,
		inCatalog: true,
		intro: '',
		quiz: DEFAULT_QUIZ,
		lessons: [
			{ key: 'l1', title: '人民当家作主', kind: 'text', body: '', mediaId: null, source: null },
			{ key: 'l2', title: '科学立法、民主立法', kind: 'text', body: '', mediaId: null, source: null }
		],
		questions: [
			question('q1', {
				type: 'single',
				stem: '全过程人民民主是社会主义民主政治的（　）。',
				options: ['本质属性', '基本特征', '重要内容', '根本目标', '=1+1', '"引号", 逗号'],
				answer: 4,
				explanation: '第一行\n第二行，带逗号',
				lessonKey: 'l1',
				difficulty: 1,
				sourceRef: '报告第六部分第3段'
			}),
			question('q2', {
				type: 'multiple',
				stem: '+ 以加号开头的题干',
				options: ['科学立法', '民主立法', '依法立法', '突击立法'],
				answer: [0, 1, 2],
				explanation: '-负号开头的解析',
				lessonKey: 'l2',
				difficulty: 2,
				sourceRef: ''
			}),
			question('q3', {
				type: 'truefalse',
				stem: '@ 最艰巨最繁重的任务仍然在农村。',
				options: [],
				answer: false,
				explanation: '解析',
				lessonKey: 'l1',
				difficulty: 3,
				sourceRef: '报告第四部分'
			}),
			question('q4', {
				type: 'fill',
				stem: '从____年到____年基本实现社会主义现代化。',
				options: [],
				answer: [['二〇二〇', '2020'], ['二〇三五']],
				explanation: '解析',
				lessonKey: 'l2',
				difficulty: 2,
				sourceRef: ''
			}),
			question('q5', {
				type: 'truefalse',
				stem: '-5 是负数。',
				options: [],
				answer: true,
				explanation: '=SUM(A1:A2)',
				lessonKey: 'missing',
				difficulty: 2,
				sourceRef: ''
			}),
			question('q6', {
				type: 'essay',
				stem: '简述全过程人民民主的内涵。',
				options: [],
				answer: {
					reference: '=第一段，带逗号, "引号"\n第二段',
					rubric: [
						{ point: '全链条、全方位、全覆盖', points: 4 },
						{ point: '最广泛、最真实、最管用；是民主', points: 2.5 }
					],
					maxLength: 800
				},
				explanation: '',
				lessonKey: 'l1',
				difficulty: 3,
				sourceRef: '报告第六部分'
			})
		]
	};
	const titles = new Map(doc.lessons.map((l) => [l.key, l.title]));
	const want = doc.questions.map((q) => ({
		type: q.type,
		stem: q.stem,
		options: q.options,
		answer: q.answer,
		explanation: q.explanation,
		difficulty: q.difficulty,
		lesson: titles.get(q.lessonKey) ?? '',
		sourceRef: q.sourceRef
	}));

	const check = (parsed: ParseResult) => {
		expect(parsed.problems).toEqual([]);
		expect(parsed.questions.map(shape)).toEqual(want);
		expect(parsed.questions.map((q) => q.line)).toEqual([2, 3, 4, 5, 6, 7]);
	};

	it('.xlsx: the same questions come back, and no cell is a formula', async () => {
		const bytes = await bankXlsx(doc);
		check(await parseSheet('导出.xlsx', bytes));
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(bytes as unknown as ArrayBuffer);
		expect(wb.worksheets.map((s) => s.name)).toEqual(['题目', '说明']);
		const sheet = wb.worksheets[0]!;
		const values: unknown[] = [];
		sheet.eachRow((r) => r.eachCell((c) => values.push(c.value)));
		expect(values.every((v) => typeof v === 'string')).toBe(true);
		expect(values).toContain("'=1+1");
		expect(values).toContain("'=SUM(A1:A2)");
		expect(values).toContain("'+ 以加号开头的题干");
		expect(values).toContain('对应课时');
		expect(sheet.getRow(2).getCell(11).value).toBe('E');
		expect(sheet.getRow(3).getCell(11).value).toBe('ABC');
		expect(sheet.getRow(5).getCell(11).value).toBe('二〇二〇｜2020；二〇三五');
		expect(sheet.getRow(2).getCell(14).value).toBe('人民当家作主');
		expect(sheet.getRow(7).getCell(1).value).toBe('简答');
		expect(sheet.getRow(7).getCell(11).value).toBe('\'=第一段，带逗号, "引号"\n第二段');
		expect(sheet.getRow(7).getCell(16).value).toBe(
			'全链条、全方位、全覆盖（4分）；最广泛、最真实、最管用；是民主（2.5分）'
		);
		expect(sheet.getRow(7).getCell(17).value).toBe('800');
		expect(sheet.getRow(2).getCell(16).value).toBeNull();
	});

	it('.csv: the same questions come back, and formula-like cells are made inert', async () => {
		const text = bankCsv(doc);
		expect(text.startsWith('\uFEFF题型,题干,')).toBe(true);
		expect(text).toContain("'=SUM(A1:A2)");
		expect(text).not.toMatch(/(^|,)[=+@]/m);
		expect(text).toContain('"""引号"", 逗号"');
		check(await parseSheet('导出.csv', utf8(text)));
		// Saved again by Excel on Chinese Windows (GBK) it still reads the same.
		check(await parseSheet('导出.csv', new Uint8Array(iconv.encode(text.slice(1), 'gb18030'))));
	});

	it('an empty bank exports as the header alone', async () => {
		const empty = { ...doc, questions: [] };
		expect(bankCsv(empty)).toBe('\uFEFF' + HEADER.join(',') + '\r\n');
		await expectRefused('空.xlsx', await bankXlsx(empty), '表格中没有题目');
	});
});
