import { beforeEach, describe, expect, it } from 'vitest';
import { count, desc, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { auditLog, questionImports } from '../../src/lib/server/db/schema';
import {
	authoredDraft,
	createDraft,
	MAX_OPTIONS,
	recallDraft,
	removeLesson,
	saveLesson,
	saveQuestion,
	submitDraft,
	type Fields,
	type ModuleDoc,
	type QuestionDoc
} from '../../src/lib/server/authoring';
import { UNDER_REVIEW } from '../../src/lib/server/authoring/store';
import {
	confirmImport,
	detectFormat,
	discardImport,
	EXPECTED,
	exportBank,
	exportCounts,
	FORMAT_EXAMPLES,
	IMPORT_NOT_FOUND,
	ImportError,
	importPreview,
	NO_LESSONS,
	parseAiken,
	parseGift,
	parseText,
	stageImport,
	type ExportKind,
	type ImportInput,
	type ParseResult,
	type SourceQuestion
} from '../../src/lib/server/question-bank';
import {
	checkAgainstDraft,
	CHANGED_SINCE_PREVIEW,
	decodeText,
	lessonResolver,
	MISSING_EXPLANATION,
	stemKey
} from '../../src/lib/server/question-bank/import';
import { LETTER_WARNING, letterWarning, OPTION_LETTERS } from '../../src/lib/lesson-editor';
import { match as isBankFormat } from '../../src/params/bankformat';
import {
	auditCount,
	authoringWorld,
	moduleForm,
	storedDraft,
	textLesson,
	type Actor,
	type World
} from './authoring-setup';

/*
 * Question banks in and out (issue #16): the import pipeline against a draft — staging writes
 * nothing but the staged row, the preview is the author's alone, the confirmed import is one
 * transaction or nothing — the exports, and the round trip of every format.
 */

let world: World;
let db: World['db'];
let a1: Actor, a2: Actor, b1: Actor, city: Actor;

const LESSONS = ['代表的权利和义务', '代表的联系群众'];

beforeEach(async () => {
	world = await authoringWorld();
	db = world.db;
	({ a1, a2, b1, city } = world.actors);
});

/** A draft of `actor` with the two lessons (l1, l2) and no questions. */
function emptyDraft(actor: Actor = a1, title = '人大代表工作实务'): number {
	const created = createDraft(db, actor, moduleForm(world.themeId, { title }));
	if (!created.ok) throw new Error(JSON.stringify(created.errors));
	for (const title of LESSONS) {
		const saved = saveLesson(db, actor, created.id, null, textLesson({ title }));
		if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
	}
	return created.id;
}

function addQuestion(draftId: number, fields: Fields, actor: Actor = a1): string {
	const saved = saveQuestion(db, actor, draftId, null, {
		difficulty: '2',
		sourceRef: '',
		explanation: '依据代表法。',
		lessonKey: 'l1',
		...fields
	});
	if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
	return saved.key;
}

/** Every shape the bank holds: eight options, several right answers, both true/false, blanks with variants, escapes. */
function richBank(draftId: number, { multiBlank = true, essays = false } = {}): void {
	addQuestion(draftId, {
		type: 'single',
		stem: '党的二十大报告提出，全过程人民民主是社会主义民主政治的什么？',
		...Object.fromEntries(
			['本质属性', '基本特征', '重要保障', '根本目的', '主要形式', '核心内容', '外在表现', '最终目标'].map(
				(o, i) => [`option${i}`, o]
			)
		),
		correct: '7',
		explanation: '报告原文：全过程人民民主是社会主义民主政治的本质属性。',
		difficulty: '1',
		sourceRef: '报告第六部分第1段'
	});
	addQuestion(draftId, {
		type: 'multiple',
		stem: '代表的权利包括哪些？',
		option0: '审议权',
		option1: '任命权',
		option2: '表决权',
		option3: '提出议案权',
		correct: '0,2,3',
		explanation: '代表法第3条 = 依据；特殊字符 {括号} ~波浪 #井号: 冒号, "引号"',
		lessonKey: 'l2',
		difficulty: '3'
	});
	addQuestion(draftId, { type: 'truefalse', stem: '代表应当模范地遵守宪法和法律。', truefalse: 'true' });
	addQuestion(draftId, {
		type: 'truefalse',
		stem: '代表可以不与原选区选民保持联系。',
		truefalse: 'false',
		lessonKey: 'l2'
	});
	addQuestion(draftId, {
		type: 'fill',
		stem: '代表依照____和法律行使职权。',
		blank0: '宪法｜中华人民共和国宪法',
		lessonKey: 'l2'
	});
	if (multiBlank)
		addQuestion(draftId, {
			type: 'fill',
			stem: '从____年到____年基本实现社会主义现代化。',
			blank0: '二〇二〇｜2020',
			blank1: '二〇三五｜2035'
		});
	addQuestion(draftId, {
		type: 'single',
		stem: '人大代表由谁选举产生？',
		option0: '选民或下一级人民代表大会',
		option1: '上级任命',
		option2: '单位推荐',
		correct: '0'
	});
	if (!essays) return;
	addQuestion(draftId, {
		type: 'essay',
		stem: '简述人大代表应当如何联系群众：{要求} #1 = "引号"',
		reference: '=经常联系原选区选民，\n听取和反映意见。C:\\n 不是换行；逗号, 引号"',
		point0: '经常联系原选区选民；或原选举单位',
		points0: '3',
		point1: '听取和反映意见 {和要求}',
		points1: '2.5',
		maxLength: '800',
		explanation: '',
		lessonKey: 'l2',
		difficulty: '3',
		sourceRef: '代表法'
	});
	addQuestion(draftId, {
		type: 'essay',
		stem: '简述全过程人民民主。',
		reference: '全链条、全方位、全覆盖。',
		point0: '全链条、全方位、全覆盖',
		points0: '10',
		explanation: '见报告第六部分。'
	});
}

const docOf = (draftId: number, actor: Actor = a1): ModuleDoc => authoredDraft(db, actor, draftId)!.doc;

/** A question as the round trip compares it: everything but its key, its lesson by title. */
function comparable(doc: ModuleDoc) {
	return doc.questions.map(({ key: _key, lessonKey, ...q }: QuestionDoc) => ({
		...q,
		lesson: doc.lessons.find((l) => l.key === lessonKey)?.title
	}));
}

const stagedCount = () => db.select({ n: count() }).from(questionImports).get()!.n;
const text = (t: string): ImportInput => ({ kind: 'text', text: t });
const file = (fileName: string, body: string | Uint8Array): ImportInput => ({
	kind: 'file',
	fileName,
	bytes: typeof body === 'string' ? new TextEncoder().encode(body) : body
});

function tokenOf(result: Awaited<ReturnType<typeof stageImport>>): string {
	if (!result.ok) throw new Error(JSON.stringify(result.errors));
	return result.token;
}

const q = (over: Partial<SourceQuestion>): SourceQuestion => ({
	line: 1,
	type: 'single',
	stem: '人大代表由谁选举产生？',
	options: ['选民', '上级任命'],
	answer: 0,
	explanation: '代表由选民选举产生。',
	difficulty: null,
	lesson: '',
	sourceRef: '',
	...over
});

/** An Aiken file of `n` questions (Aiken's reader is the other helper's; the pipeline is what is tested). */
function aiken(n: number, stem = (i: number) => `第 ${i} 道题的题干是什么？`): string {
	return Array.from({ length: n }, (_, i) => `${stem(i + 1)}\nA. 甲\nB. 乙\nANSWER: B`).join('\n\n');
}

// -------------------------------------------------------------------------------------------------

describe('formats', () => {
	it('detects the format from the file name, and from the text of .txt files and pasted text', () => {
		const none = new Uint8Array();
		expect(detectFormat('题库.xlsx', none)).toBe('sheet');
		expect(detectFormat('题库.CSV', none)).toBe('sheet');
		expect(detectFormat('试卷.docx', none)).toBe('text');
		expect(detectFormat('moodle.gift', none)).toBe('gift');
		expect(detectFormat('', '::Q1:: 题干 {=对 ~错}')).toBe('gift');
		expect(detectFormat('', '$CATEGORY: 第一章\n\n题干 {T}')).toBe('gift');
		expect(detectFormat('', '题干 {\n=甲\n~乙\n}')).toBe('gift');
		expect(detectFormat('', '// 参考答案：甲\n// 采分点：甲（2分）\n简述。{}')).toBe('gift');
		expect(detectFormat('', '一、简答题\n1. 简述。\n参考答案：甲\n采分点：甲（2分）')).toBe('text');
		expect(detectFormat('', aiken(2))).toBe('aiken');
		expect(detectFormat('', '1. 人大代表由谁选举产生？（A）\nA. 选民\nB. 上级')).toBe('text');
		expect(detectFormat('', '题型\t题干\t选项A\n单选\t题\t甲')).toBe('sheet');
		expect(detectFormat('bank.txt', new TextEncoder().encode(aiken(1)))).toBe('aiken');
		expect(detectFormat('bank.txt', new TextEncoder().encode('1、题干（√）'))).toBe('text');
	});

	it('refuses files of other kinds in Chinese, naming what to do with old Office files', () => {
		const none = new Uint8Array();
		expect(() => detectFormat('题库.xls', none)).toThrow(/另存为” \.xlsx/);
		expect(() => detectFormat('试卷.doc', none)).toThrow(/另存为” \.docx/);
		expect(() => detectFormat('photo.png', none)).toThrow(ImportError);
		expect(() => detectFormat('noextension', none)).toThrow(/请上传 \.xlsx、\.csv、\.docx、\.txt 或 \.gift/);
	});

	it('reads text files in UTF-8 (± BOM), UTF-16 with its BOM, and GBK', () => {
		expect(decodeText(new TextEncoder().encode('\uFEFF题目'))).toBe('题目');
		expect(decodeText(new TextEncoder().encode('题目'))).toBe('题目');
		expect(decodeText(new Uint8Array([0xff, 0xfe, 0x98, 0x98, 0xee, 0x76]))).toBe('题目');
		expect(decodeText(new Uint8Array([0xfe, 0xff, 0x98, 0x98, 0x76, 0xee]))).toBe('题目');
		// 题目 in GBK, as Chinese Windows saves "ANSI" text.
		expect(decodeText(new Uint8Array([0xcc, 0xe2, 0xc4, 0xbf]))).toBe('题目');
	});

	it('the import page’s examples are read by their readers without a problem', () => {
		const read = (r: ParseResult) => ({ questions: r.questions.length, problems: r.problems });
		expect(read(parseText(FORMAT_EXAMPLES.text))).toEqual({ questions: 5, problems: [] });
		expect(read(parseGift(FORMAT_EXAMPLES.gift))).toEqual({ questions: 3, problems: [] });
		// Each example shows a 简答 too.
		expect(parseText(FORMAT_EXAMPLES.text).questions.at(-1)!.type).toBe('essay');
		expect(parseGift(FORMAT_EXAMPLES.gift).questions.at(-1)!.type).toBe('essay');
		expect(read(parseAiken(FORMAT_EXAMPLES.aiken))).toEqual({ questions: 1, problems: [] });
		expect(detectFormat('', FORMAT_EXAMPLES.text)).toBe('text');
		expect(detectFormat('', FORMAT_EXAMPLES.gift)).toBe('gift');
		expect(detectFormat('', FORMAT_EXAMPLES.aiken)).toBe('aiken');
	});
});

describe('checking against the draft', () => {
	it('finds the lesson by title, 《title》, key, 第N课 (with its title or not) or position; empty is the default', () => {
		const doc = docOf(emptyDraft());
		const lessonOf = lessonResolver(doc, 'l2');
		expect(lessonOf('')).toBe('l2');
		expect(lessonOf('代表的权利和义务')).toBe('l1');
		expect(lessonOf(' 《代表的联系群众》 ')).toBe('l2');
		expect(lessonOf('l1')).toBe('l1');
		expect(lessonOf('第2课')).toBe('l2');
		expect(lessonOf('第 二 课')).toBe('l2');
		expect(lessonOf('第 1 课 代表的权利和义务')).toBe('l1');
		expect(lessonOf('2')).toBe('l2');
		expect(lessonOf('第3课')).toBeNull();
		expect(lessonOf('l9')).toBeNull();
		expect(lessonOf('不存在的课时')).toBeNull();
	});

	it('duplicates ignore width, spaces and empty answer brackets, not the type', () => {
		expect(stemKey('single', '代表由谁选举产生？（　）')).toBe(stemKey('single', '代表由谁选举产生 ?  ( )'));
		expect(stemKey('single', '题干')).not.toBe(stemKey('multiple', '题干'));
	});

	it('lists every question that cannot be imported with its line and why; the rest are ready', () => {
		const draftId = emptyDraft();
		addQuestion(draftId, {
			type: 'single',
			stem: '已在题库中的题？',
			option0: '甲',
			option1: '乙',
			correct: '0'
		});
		const doc = docOf(draftId);
		const read: ParseResult = {
			questions: [
				q({ line: 1 }),
				q({ line: 3, stem: '已在题库中的题？（ ）' }),
				q({ line: 5, stem: '人大代表由谁选举产生?' }),
				q({ line: 7, stem: '' }),
				q({ line: 9, stem: '第九行', lesson: '第三课' }),
				q({ line: 11, stem: '九个选项', options: 'ABCDEFGHI'.split('') }),
				q({ line: 13, stem: '没有解析的题', explanation: '' }),
				q({ line: 15, stem: '选项字母的题', explanation: '选项C错误。', lesson: '第2课', difficulty: 3 }),
				q({ line: 17, stem: '太长'.repeat(300) }),
				q({ line: 19, stem: '重复的选项', options: ['甲', '甲'] }),
				q({ line: 21, stem: '多选只有一个答案', type: 'multiple', answer: [1] })
			],
			problems: [{ line: 2, excerpt: '论述题', message: '不支持的题型：论述题，已跳过', skipped: true }]
		};
		const staged = checkAgainstDraft(doc, read, 'l1');
		expect(staged.questions.map((s) => s.line)).toEqual([1, 13, 15]);
		expect(staged.questions[1]).toMatchObject({
			question: { explanation: '', lessonKey: 'l1' },
			warnings: [MISSING_EXPLANATION]
		});
		expect(staged.questions[2]).toMatchObject({
			question: { lessonKey: 'l2', difficulty: 3 },
			warnings: [LETTER_WARNING]
		});
		expect(staged.problems.map((p) => [p.line, p.message, p.skipped])).toEqual([
			[2, '不支持的题型：论述题，已跳过', true],
			[3, '与题库中已有的第 1 题重复（题型和题干相同），未导入', false],
			[5, '与第 1 行的题目重复（题型和题干相同），未导入', false],
			[7, '题干为空', false],
			[9, expect.stringMatching(/^找不到课时《第三课》/), false],
			[11, '选项超过 8 个（最多 A–H）', false],
			[17, '题干不能超过 500 个字', false],
			[19, '与选项A重复', false],
			[21, '多选题至少要有两个正确答案', false]
		]);
		expect(staged.problems.find((p) => p.line === 17)!.excerpt).toHaveLength(61);
		expect(staged.overLimit).toBe(0);
	});

	it('a bank holds at most 500 questions: what does not fit is counted, not staged', () => {
		const doc = docOf(emptyDraft());
		const questions = Array.from({ length: 502 }, (_, i) => q({ line: i + 1, stem: `第 ${i} 题？` }));
		const staged = checkAgainstDraft(doc, { questions, problems: [] }, 'l1');
		expect(staged.questions).toHaveLength(500);
		expect(staged.overLimit).toBe(2);
	});
});

describe('staging and the preview', () => {
	it('stages what was read, writes nothing to the draft or the audit log, and shows it to its author only', async () => {
		const draftId = emptyDraft();
		const before = storedDraft(db, draftId);
		const audits = auditCount(db);
		const token = tokenOf(
			await stageImport(db, a1, draftId, text(aiken(3) + '\n\n只有题干没有答案\nA. 甲\nB. 乙'), {
				lessonKey: 'l2'
			})
		);
		expect(token).toMatch(/^[a-z2-7]{24}$/);
		expect(storedDraft(db, draftId)).toEqual(before);
		expect(auditCount(db)).toBe(audits);
		const preview = importPreview(db, a1, draftId, token)!;
		expect(preview).toMatchObject({
			fileName: '粘贴的文字',
			format: 'aiken',
			formatLabel: 'Moodle Aiken',
			ready: 3,
			problems: 1,
			skipped: 0,
			total: 4,
			pages: 1
		});
		expect(preview.items[0]).toMatchObject({
			kind: 'question',
			line: 1,
			stem: '第 1 道题的题干是什么？',
			options: ['甲', '乙'],
			answer: 1,
			lessonTitle: '第 2 课 代表的联系群众',
			typeLabel: '单选题',
			warnings: [MISSING_EXPLANATION]
		});
		expect(preview.items[3]).toMatchObject({ kind: 'problem', line: 16, skipped: false });
		// Another admin of the same school, another school, the wrong draft: no such import.
		expect(importPreview(db, a2, draftId, token)).toBeNull();
		expect(importPreview(db, b1, draftId, token)).toBeNull();
		expect(importPreview(db, a1, emptyDraft(a1, '另一个模块'), token)).toBeNull();
		expect(importPreview(db, a1, draftId, 'not-a-token')).toBeNull();
	});

	it('pasted text in the Chinese exam-paper layout: ready questions, problems and skipped types by line', async () => {
		const draftId = emptyDraft();
		const pasted = [
			'一、单项选择题',
			'1. 人大代表由谁选举产生？（A）',
			'A. 选民或下一级人民代表大会',
			'B. 上级任命',
			'解析：代表由选举产生。',
			'2. 没有答案的题（　）',
			'A. 甲',
			'B. 乙',
			'二、判断题',
			'3. 代表应当遵守宪法。（√）',
			'解析：宪法。',
			'三、简答题',
			'4. 简述代表的权利。',
			'参考答案：审议权、表决权、提出议案权。',
			'采分点：审议权（2分）；表决权（2分）；提出议案权（1分）',
			'5. 简述代表的义务。',
			'四、名词解释',
			'6. 人大代表'
		].join('\n');
		const token = tokenOf(await stageImport(db, a1, draftId, text(pasted)));
		const preview = importPreview(db, a1, draftId, token)!;
		expect(preview).toMatchObject({ format: 'text', ready: 3, problems: 2, skipped: 1 });
		expect(
			preview.items.map((i) =>
				i.kind === 'question' ? [i.line, i.type, i.answer] : [i.line, i.message, i.skipped]
			)
		).toEqual([
			[2, 'single', 0],
			[6, expect.stringContaining('答案'), false],
			[10, 'truefalse', true],
			[
				13,
				'essay',
				{
					reference: '审议权、表决权、提出议案权。',
					rubric: [
						{ point: '审议权', points: 2 },
						{ point: '表决权', points: 2 },
						{ point: '提出议案权', points: 1 }
					],
					maxLength: 500
				}
			],
			[16, '简答题没有找到参考答案：请另起一行写“参考答案：……”', false],
			[18, '暂不支持名词解释，已跳过', true]
		]);
		// A 简答 without an explanation has no warning: its reference answer says what is right.
		expect(preview.items[3]).toMatchObject({ kind: 'question', typeLabel: '简答题', warnings: [] });
	});

	it('checks each 简答 with the question form’s own rule: points, how many, the limit, the reference’s length', async () => {
		const draftId = emptyDraft();
		const essay = (n: number, rubric: string, extra: string[] = []) => [
			`${n}. 第 ${n} 道简答题。`,
			'参考答案：参考答案。',
			`采分点：${rubric}`,
			...extra
		];
		const eleven = Array.from({ length: 11 }, (_, i) => `要点${i + 1}（1分）`).join('；');
		const pasted = [
			'一、简答题',
			...essay(1, '要点（0.3分）'),
			...essay(2, '要点（101分）'),
			...essay(3, eleven),
			...essay(4, '要点（3分）', ['字数上限：10']),
			...essay(5, '要点（3分）', ['字数上限：5001']),
			...essay(6, '要点一（3分）；要点二（1.5分）', ['字数上限：5000'])
		].join('\n');
		const token = tokenOf(await stageImport(db, a1, draftId, text(pasted)));
		const preview = importPreview(db, a1, draftId, token)!;
		expect(
			preview.items.map((i) => (i.kind === 'question' ? [i.line, i.type] : [i.line, i.message]))
		).toEqual([
			[2, '第 1 个采分点的分值为 0.5–100 分，且须为 0.5 的倍数'],
			[5, '第 1 个采分点的分值为 0.5–100 分，且须为 0.5 的倍数'],
			[8, '采分点最多 10 个，这道题有 11 个'],
			[11, '字数上限为 50–5000 字的整数（留空为 500 字）'],
			[15, '字数上限为 50–5000 字的整数（留空为 500 字）'],
			[19, 'essay']
		]);
		expect(confirmImport(db, a1, draftId, token, 1)).toEqual({ ok: true, imported: 1 });
		expect(docOf(draftId).questions).toEqual([
			{
				key: 'q1',
				type: 'essay',
				stem: '第 6 道简答题。',
				options: [],
				answer: {
					reference: '参考答案。',
					rubric: [
						{ point: '要点一', points: 3 },
						{ point: '要点二', points: 1.5 }
					],
					maxLength: 5000
				},
				explanation: '',
				lessonKey: 'l1',
				difficulty: 2,
				sourceRef: ''
			}
		]);
	});

	it('a Word document goes through the same reader as pasted text', async () => {
		const lines = ['1. 人大代表由谁选举产生？（A）', 'A. 选民', 'B. 上级', '解析：代表由选举产生。'];
		const document = new Document({
			sections: [{ children: lines.map((line) => new Paragraph({ children: [new TextRun(line)] })) }]
		});
		const bytes = new Uint8Array(await Packer.toBuffer(document));
		const draftId = emptyDraft();
		const token = tokenOf(await stageImport(db, a1, draftId, file('本校试卷.docx', bytes)));
		expect(importPreview(db, a1, draftId, token)).toMatchObject({
			fileName: '本校试卷.docx',
			format: 'text',
			ready: 1,
			problems: 0
		});
	});

	it('pages a large preview 50 items at a time, in the order of the source, or only one list', async () => {
		const draftId = emptyDraft();
		const source = aiken(120) + '\n\n坏题\nA. 甲\nANSWER: B';
		const token = tokenOf(await stageImport(db, a1, draftId, text(source)));
		const first = importPreview(db, a1, draftId, token)!;
		expect(first).toMatchObject({ ready: 120, problems: 1, total: 121, page: 1, pages: 3 });
		expect(first.items).toHaveLength(50);
		const last = importPreview(db, a1, draftId, token, { page: 3 })!;
		expect(last.items.map((i) => i.kind)).toEqual([...Array(20).fill('question'), 'problem']);
		expect(importPreview(db, a1, draftId, token, { page: 99 })!.page).toBe(3);
		const problems = importPreview(db, a1, draftId, token, { show: 'problems' })!;
		expect(problems.items.map((i) => [i.kind, i.line])).toEqual([['problem', 601]]);
		expect(importPreview(db, a1, draftId, token, { show: 'ready' })!.total).toBe(120);
		expect(importPreview(db, a1, draftId, token, { show: 'nonsense' })!.show).toBe('all');
	});

	it('refuses, beside the field and with nothing staged: another owner’s draft, a draft under review or without lessons, bad choices, unreadable or empty sources', async () => {
		const draftId = emptyDraft();
		const errorsOf = async (...args: Parameters<typeof stageImport>) => {
			const r = await stageImport(...args);
			return r.ok ? null : r.errors;
		};
		expect(await errorsOf(db, b1, draftId, text(aiken(1)))).toEqual({
			_form: expect.stringMatching(/没有找到这个模块/)
		});
		expect(await errorsOf(db, city, draftId, text(aiken(1)))).toEqual({
			_form: expect.stringMatching(/没有找到/)
		});
		const bare = createDraft(db, a1, moduleForm(world.themeId, { title: '没有课时' }));
		expect(await errorsOf(db, a1, (bare as { id: number }).id, text(aiken(1)))).toEqual({
			_form: NO_LESSONS
		});
		expect(await errorsOf(db, a1, draftId, text(aiken(1)), { lessonKey: 'l9' })).toEqual({
			lessonKey: '所选课时不存在，请重新选择'
		});
		expect(await errorsOf(db, a1, draftId, text(aiken(1)), { format: 'pdf' as 'auto' })).toEqual({
			format: '请选择文件格式'
		});
		expect(await errorsOf(db, a1, draftId, text('   '))).toEqual({ text: '请粘贴题目文字，或上传文件' });
		expect(await errorsOf(db, a1, draftId, file('photo.png', 'x'))).toEqual({
			file: expect.stringMatching(/不支持这种文件/)
		});
		expect(await errorsOf(db, a1, draftId, file('题库.xlsx', 'not a zip'))).toEqual({
			file: expect.any(String)
		});
		expect(await errorsOf(db, a1, draftId, file('题库.docx', 'x'), { format: 'gift' })).toEqual({
			file: expect.stringMatching(/所选格式是 Moodle GIFT/)
		});
		expect(await errorsOf(db, a1, draftId, file('题库.xlsx', 'x'), { format: 'text' })).toEqual({
			file: expect.stringMatching(/所选格式是文本或 Word/)
		});
		// Nothing recognised: the message says what the reader expected.
		expect(await errorsOf(db, a1, draftId, text('随便写的一段话。'))).toEqual({ text: EXPECTED.text });
		expect(await errorsOf(db, a1, draftId, file('空.gift', '// 只有注释'))).toEqual({ file: EXPECTED.gift });
		expect(await errorsOf(db, a1, draftId, text('字'.repeat(1_000_001)))).toEqual({
			text: expect.stringMatching(/粘贴的文字不能超过 1,000,000 个字/)
		});
		expect(await errorsOf(db, a1, draftId, file('大.txt', new Uint8Array(8 * 1024 * 1024 + 1)))).toEqual({
			file: expect.stringMatching(/不能超过 8 MB/)
		});
		for (let n = 0; n < 10; n++)
			addQuestion(draftId, { type: 'truefalse', stem: `第 ${n} 句话。`, truefalse: 'true' });
		expect(submitDraft(db, a1, draftId).ok).toBe(true);
		expect(await errorsOf(db, a1, draftId, text(aiken(1)))).toEqual({ _form: UNDER_REVIEW });
		expect(stagedCount()).toBe(0);
	});

	it('removes staged imports older than a day when the next one is staged', async () => {
		const draftId = emptyDraft();
		const old = tokenOf(await stageImport(db, a1, draftId, text(aiken(1))));
		db.update(questionImports)
			.set({ createdAt: new Date(Date.now() - 25 * 60 * 60 * 1000) })
			.where(eq(questionImports.id, old))
			.run();
		const recent = tokenOf(await stageImport(db, a1, draftId, text(aiken(2))));
		expect(db.select({ id: questionImports.id }).from(questionImports).all()).toEqual([{ id: recent }]);
	});
});

describe('confirming', () => {
	it('adds the ready questions with new keys in one transaction with its audit row, then forgets the staged import', async () => {
		const draftId = emptyDraft();
		addQuestion(draftId, { type: 'truefalse', stem: '已有的题。', truefalse: 'true' });
		const token = tokenOf(
			await stageImport(db, a1, draftId, text(aiken(3) + '\n\n坏题\nA. 甲\nANSWER: B'), { lessonKey: 'l2' })
		);
		const r = confirmImport(db, a1, draftId, token, 3);
		expect(r).toEqual({ ok: true, imported: 3 });
		const doc = docOf(draftId);
		expect(doc.questions.map((x) => x.key)).toEqual(['q1', 'q2', 'q3', 'q4']);
		expect(doc.questions[1]).toEqual({
			key: 'q2',
			type: 'single',
			stem: '第 1 道题的题干是什么？',
			options: ['甲', '乙'],
			answer: 1,
			explanation: '',
			lessonKey: 'l2',
			difficulty: 2,
			sourceRef: ''
		});
		const entry = db.select().from(auditLog).orderBy(desc(auditLog.id)).get()!;
		expect(entry).toMatchObject({
			action: 'module.update',
			actorUserId: a1.id,
			summary: '导入了 3 道题目（来源：粘贴的文字，Moodle Aiken）（模块《人大代表工作实务》）'
		});
		expect(stagedCount()).toBe(0);
		// A second confirmation (another tab) finds nothing to import and writes nothing.
		const audits = auditCount(db);
		expect(confirmImport(db, a1, draftId, token, 3)).toEqual({
			ok: false,
			errors: { _form: IMPORT_NOT_FOUND }
		});
		expect(docOf(draftId).questions).toHaveLength(4);
		expect(auditCount(db)).toBe(audits);
		// The next question gets the next key.
		expect(addQuestion(draftId, { type: 'truefalse', stem: '新题。', truefalse: 'false' })).toBe('q5');
	});

	it('refuses, writing nothing: another author or owner, the wrong count, nothing to import', async () => {
		const draftId = emptyDraft();
		const token = tokenOf(await stageImport(db, a1, draftId, text(aiken(2))));
		const before = storedDraft(db, draftId);
		const audits = auditCount(db);
		expect(confirmImport(db, b1, draftId, token, 2)).toEqual({
			ok: false,
			errors: { _form: expect.stringMatching(/没有找到这个模块/) }
		});
		expect(confirmImport(db, a2, draftId, token, 2)).toEqual({
			ok: false,
			errors: { _form: IMPORT_NOT_FOUND }
		});
		expect(confirmImport(db, a1, draftId, token, 3)).toEqual({
			ok: false,
			errors: { _form: '要导入的题目数与预览不一致，请刷新预览后再确认' }
		});
		expect(confirmImport(db, a1, draftId, token, -1).ok).toBe(false);
		const nothing = tokenOf(await stageImport(db, a1, draftId, text('坏题\nA. 甲\nANSWER: B')));
		expect(confirmImport(db, a1, draftId, nothing, 0)).toEqual({
			ok: false,
			errors: { _form: '没有可以导入的题目：请修改文件后重新上传' }
		});
		expect(storedDraft(db, draftId)).toEqual(before);
		expect(auditCount(db)).toBe(audits);
		expect(stagedCount()).toBe(2);
	});

	it('a draft submitted, a duplicate added or a lesson removed after the preview: nothing is imported', async () => {
		const draftId = emptyDraft();
		for (let n = 0; n < 10; n++)
			addQuestion(draftId, { type: 'truefalse', stem: `第 ${n} 句话。`, truefalse: 'true' });
		const token = tokenOf(await stageImport(db, a1, draftId, text(aiken(3)), { lessonKey: 'l2' }));

		expect(submitDraft(db, a1, draftId).ok).toBe(true);
		let before = storedDraft(db, draftId);
		expect(confirmImport(db, a1, draftId, token, 3)).toEqual({ ok: false, errors: { _form: UNDER_REVIEW } });
		expect(storedDraft(db, draftId)).toEqual(before);
		expect(stagedCount()).toBe(1);
		expect(recallDraft(db, a1, draftId).ok).toBe(true);

		addQuestion(draftId, {
			type: 'single',
			stem: '第 2 道题的题干是什么？',
			option0: '甲',
			option1: '乙',
			correct: '1'
		});
		before = storedDraft(db, draftId);
		let audits = auditCount(db);
		const duplicate = confirmImport(db, a1, draftId, token, 3);
		expect(duplicate).toEqual({
			ok: false,
			errors: {
				_form: `${CHANGED_SINCE_PREVIEW}（第 6 行：与题库中已有的题目重复），没有导入任何题目。请重新上传预览。`
			}
		});
		expect(storedDraft(db, draftId)).toEqual(before);
		expect(auditCount(db)).toBe(audits);

		const fresh = tokenOf(
			await stageImport(db, a1, draftId, text(aiken(1, () => '另一道题？')), { lessonKey: 'l2' })
		);
		expect(removeLesson(db, a1, draftId, 'l2').ok).toBe(true);
		before = storedDraft(db, draftId);
		audits = auditCount(db);
		expect(confirmImport(db, a1, draftId, fresh, 1)).toEqual({
			ok: false,
			errors: {
				_form: `${CHANGED_SINCE_PREVIEW}（第 1 行：对应的课时已不存在），没有导入任何题目。请重新上传预览。`
			}
		});
		expect(storedDraft(db, draftId)).toEqual(before);
		expect(auditCount(db)).toBe(audits);
	});

	it('放弃 removes the author’s own staged import only', async () => {
		const draftId = emptyDraft();
		const token = tokenOf(await stageImport(db, a1, draftId, text(aiken(1))));
		expect(discardImport(db, a2, draftId, token)).toBe(false);
		expect(discardImport(db, b1, draftId, token)).toBe(false);
		expect(discardImport(db, a1, draftId, 'garbage')).toBe(false);
		expect(stagedCount()).toBe(1);
		expect(discardImport(db, a1, draftId, token)).toBe(true);
		expect(stagedCount()).toBe(0);
		expect(importPreview(db, a1, draftId, token)).toBeNull();
	});
});

describe('exports and round trips', () => {
	const NOW = new Date('2026-03-05T04:00:00Z');

	it('exports the author’s own bank only, named by module and day; Aiken and GIFT say what they leave out', async () => {
		const draftId = emptyDraft();
		richBank(draftId);
		const names = await Promise.all(
			(['xlsx', 'csv', 'gift', 'aiken'] as const).map(async (kind) => {
				const f = (await exportBank(db, a1, draftId, kind, NOW))!;
				return [f.fileName, f.contentType, f.skipped];
			})
		);
		expect(names).toEqual([
			['人大代表工作实务-题库-导出于2026-03-05.xlsx', expect.stringContaining('spreadsheetml'), 0],
			['人大代表工作实务-题库-导出于2026-03-05.csv', 'text/csv; charset=utf-8', 0],
			['人大代表工作实务-题库-导出于2026-03-05.gift.txt', 'text/plain; charset=utf-8', 1],
			['人大代表工作实务-题库-导出于2026-03-05-Aiken.txt', 'text/plain; charset=utf-8', 5]
		]);
		expect(exportCounts(docOf(draftId))).toEqual({ total: 7, giftSkipped: 1, aiken: 2, aikenSkipped: 5 });
		expect(await exportBank(db, b1, draftId, 'xlsx')).toBeNull();
		expect(await exportBank(db, city, draftId, 'gift')).toBeNull();
	});

	it('the export address takes the four formats only', () => {
		expect(['xlsx', 'csv', 'gift', 'aiken'].filter(isBankFormat)).toHaveLength(4);
		expect(['xls', 'GIFT', 'txt', '', 'aiken '].filter(isBankFormat)).toEqual([]);
	});

	async function roundTrip(kind: ExportKind, options: { multiBlank?: boolean; essays?: boolean } = {}) {
		const source = emptyDraft();
		richBank(source, options);
		const exported = (await exportBank(db, a1, source, kind))!;
		const target = emptyDraft(a1, '空模块');
		const staged = await stageImport(
			db,
			a1,
			target,
			file(exported.fileName, exported.body as string | Uint8Array),
			{
				lessonKey: 'l2'
			}
		);
		const token = tokenOf(staged);
		const preview = importPreview(db, a1, target, token)!;
		expect(preview.problems, JSON.stringify(preview.items.filter((i) => i.kind === 'problem'))).toBe(0);
		expect(confirmImport(db, a1, target, token, preview.ready).ok).toBe(true);
		return { source: docOf(source), target: docOf(target), preview };
	}

	for (const kind of ['xlsx', 'csv'] as const) {
		it(`${kind}: export, then import into an empty module, gives the same questions, answers, explanations and lessons`, async () => {
			const { source, target, preview } = await roundTrip(kind);
			expect(preview.format).toBe('sheet');
			expect(comparable(target)).toEqual(comparable(source));
		});

		it(`${kind}: 简答 questions make the same round trip: reference answer, rubric, limit`, async () => {
			const { source, target } = await roundTrip(kind, { essays: true });
			expect(source.questions.filter((x) => x.type === 'essay')).toHaveLength(2);
			expect(comparable(target)).toEqual(comparable(source));
		});
	}

	it('GIFT: 简答 questions make the round trip as Moodle essays with their key in comments', async () => {
		const { source, target } = await roundTrip('gift', { multiBlank: false, essays: true });
		expect(comparable(target).filter((x) => x.type === 'essay')).toHaveLength(2);
		expect(comparable(target)).toEqual(comparable(source));
	});

	it('Aiken leaves 简答 questions out, and says how many', async () => {
		const draftId = emptyDraft();
		richBank(draftId, { essays: true });
		expect(exportCounts(docOf(draftId))).toEqual({ total: 9, giftSkipped: 1, aiken: 2, aikenSkipped: 7 });
		expect((await exportBank(db, a1, draftId, 'aiken'))!.skipped).toBe(7);
		const { questions } = parseAiken((await exportBank(db, a1, draftId, 'aiken'))!.body as string);
		expect(questions.map((x) => x.type)).toEqual(['single', 'single']);
	});

	it('GIFT: the same round trip (a fill-in with several blanks cannot be written as GIFT)', async () => {
		const { source, target, preview } = await roundTrip('gift', { multiBlank: false });
		expect(preview.format).toBe('gift');
		expect(comparable(target)).toEqual(comparable(source));
	});

	it('Aiken: the single-choice questions come back with their options and answers (no explanation, the default lesson)', async () => {
		const { source, target, preview } = await roundTrip('aiken');
		expect(preview.format).toBe('aiken');
		const singles = comparable(source).filter((x) => x.type === 'single');
		expect(comparable(target)).toEqual(
			singles.map((x) => ({ ...x, explanation: '', difficulty: 2, sourceRef: '', lesson: LESSONS[1] }))
		);
	});

	it('a spreadsheet made by hand (the template’s columns) imports with its lessons', async () => {
		const workbook = new ExcelJS.Workbook();
		const sheet = workbook.addWorksheet('题目');
		sheet.addRow(['题型', '题干', '选项A', '选项B', '选项C', '答案', '解析', '难度', '对应课时', '原文出处']);
		sheet.addRow([
			'单选',
			'代表由谁选举产生？',
			'选民',
			'上级',
			'单位',
			'A',
			'代表法。',
			'易',
			'代表的联系群众',
			''
		]);
		sheet.addRow(['判断', '代表应当遵守宪法。', '', '', '', '对', '宪法。', '', '', '']);
		sheet.addRow(['单选', '没有这个选项的答案？', '甲', '乙', '', 'E', '解析。', '', '', '']);
		const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
		const draftId = emptyDraft();
		const token = tokenOf(await stageImport(db, a1, draftId, file('本校题库.xlsx', bytes)));
		const preview = importPreview(db, a1, draftId, token)!;
		expect(preview).toMatchObject({ fileName: '本校题库.xlsx', format: 'sheet', ready: 2, problems: 1 });
		expect(preview.items.map((i) => [i.kind, i.line, i.kind === 'question' ? i.lessonTitle : ''])).toEqual([
			['question', 2, '第 2 课 代表的联系群众'],
			['question', 3, '第 1 课 代表的权利和义务'],
			['problem', 4, '']
		]);
	});
});

describe('eight options (A–H)', () => {
	it('the editor, the question form and the letter warning take options up to H', () => {
		expect(OPTION_LETTERS.join('')).toBe('ABCDEFGH');
		expect(MAX_OPTIONS).toBe(8);
		expect(letterWarning('single', '题干', '选项G错误', true)).toBe(LETTER_WARNING);
		expect(letterWarning('single', '题干', 'H项正确', true)).toBe(LETTER_WARNING);
		expect(letterWarning('single', '题干', 'I 不是选项字母', true)).toBeNull();
		const draftId = emptyDraft();
		const options = Object.fromEntries('甲乙丙丁戊己庚辛'.split('').map((o, i) => [`option${i}`, o]));
		const key = addQuestion(draftId, { type: 'multiple', stem: '八个选项？', ...options, correct: '6,7' });
		expect(docOf(draftId).questions.find((x) => x.key === key)).toMatchObject({
			options: '甲乙丙丁戊己庚辛'.split(''),
			answer: [6, 7]
		});
		// A ninth option is no field of the form: it is not stored.
		const nine = saveQuestion(db, a1, draftId, null, {
			type: 'single',
			stem: '九个选项？',
			...options,
			option8: '壬',
			correct: '0',
			explanation: '解析。',
			lessonKey: 'l1'
		});
		expect(nine.ok).toBe(true);
		expect(docOf(draftId).questions.at(-1)!.options).toHaveLength(8);
	});
});
