import ExcelJS from 'exceljs';
import type { QuestionType } from '../db/schema';
import type { ModuleDoc, QuestionDoc } from '../authoring/doc';
import type { EssayAnswer } from '../exams/types';
import { BLANK } from '../quiz/questions';
import { ESSAY_LIMITS } from '../../lesson-editor';
import { inertCell } from '../participation/export';
import {
	columnLetters,
	decodeText,
	isZip,
	readCsvRows,
	readXlsxRows,
	SpreadsheetError,
	type SheetLimits,
	type SheetRow
} from '../spreadsheet';
import { difficultyOf } from './difficulty';
import { parseLength, parseRubric, rubricText, RUBRIC_EXAMPLE } from './essay';
import { ImportError } from './errors';
import { IMPORT_LIMITS, type ParseResult, type SourceProblem, type SourceQuestion } from './types';

/*
 * The Excel/CSV question template (issue #16): one question a row, the columns found by their
 * header names (in any order), read within IMPORT_LIMITS from an .xlsx (first sheet) or a CSV
 * (UTF-8 with or without BOM, GBK/GB18030, UTF-16 "Unicode 文本"; comma or tab).
 *
 * Conventions (the template's 说明 sheet says the same to authors):
 * - 题型: 单选 / 多选 / 判断 / 填空 / 简答, with or without 题 (单选题), and a few common synonyms
 *   (单项选择题, 不定项选择题, 是非题, 问答题, 论述题); 名词解释, 案例分析… are listed as skipped.
 * - 答案: choice questions the letters (B, ACD, A,C,D, A、C、D, full-width letters too) or the
 *   option's own text; 判断 对/错, √/×, 正确/错误, T/F (or the letter of an option that says
 *   so); 填空 the blanks in order separated by ；(or ;), the accepted variants of one blank by
 *   ｜ (or |), as the question form takes them. Stems mark blanks with ____ (any run of two or
 *   more underscores), empty brackets （ ） or 【…】 (whose text is then the blank's answer when 答案 is
 *   empty); all become ____. 简答: 答案 is the reference answer, 采分点 the rubric
 *   (要点一（3分）；要点二（2分）, see essay.ts), 字数上限 the length limit (empty: 500).
 * - 难度: 易 / 中 / 难 (or 1–3, 容易, 较难…); empty is null (the default 中 applies).
 * - 对应课时: the lesson's title (exports write it, so a bank moves between modules by title).
 * - Required columns: 题型, 题干, 答案 (missing → ImportError naming them). Other columns
 *   (序号, 分值, 备注…) are not imported: they are listed in one skipped problem on the header
 *   row, so the preview says so. Title rows above the header are passed over.
 * - Every row that cannot be read whole is a problem with its row number, never half a question.
 */

export const OPTION_COLUMN_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;

/** The template's columns, in its order. */
export const SHEET_COLUMNS = [
	'题型',
	'题干',
	...OPTION_COLUMN_LETTERS.map((l) => `选项${l}`),
	'答案',
	'解析',
	'难度',
	'对应课时',
	'原文出处',
	'采分点',
	'字数上限'
] as const;

/** The bounds of a question sheet (IMPORT_LIMITS); unknown columns are allowed up to 30. */
export const QUESTION_SHEET: SheetLimits = {
	rows: IMPORT_LIMITS.questions,
	columns: 30,
	cellChars: IMPORT_LIMITS.cellChars,
	lines: IMPORT_LIMITS.questions * 5,
	unzippedBytes: IMPORT_LIMITS.unzippedBytes,
	zipEntries: 500,
	words: {
		sheet: '题库',
		table: '题目表',
		rows: '题目',
		tooManyRows: `一次最多导入 ${IMPORT_LIMITS.questions} 道题，请分批导入`
	}
};

// ——— Reading ———

type Field =
	'type' | 'stem' | 'answer' | 'explanation' | 'difficulty' | 'lesson' | 'sourceRef' | 'rubric' | 'maxLength';
const REQUIRED: Field[] = ['type', 'stem', 'answer'];
const FIELD_NAMES: Record<Field, string> = {
	type: '题型',
	stem: '题干',
	answer: '答案',
	explanation: '解析',
	difficulty: '难度',
	lesson: '对应课时',
	sourceRef: '原文出处',
	rubric: '采分点',
	maxLength: '字数上限'
};
const HEADER_ALIASES: Record<string, Field> = {
	题型: 'type',
	题目类型: 'type',
	试题类型: 'type',
	类型: 'type',
	题干: 'stem',
	题目: 'stem',
	试题: 'stem',
	题目内容: 'stem',
	试题内容: 'stem',
	题干内容: 'stem',
	答案: 'answer',
	正确答案: 'answer',
	参考答案: 'answer',
	标准答案: 'answer',
	解析: 'explanation',
	答案解析: 'explanation',
	试题解析: 'explanation',
	题目解析: 'explanation',
	难度: 'difficulty',
	难易程度: 'difficulty',
	难易度: 'difficulty',
	对应课时: 'lesson',
	所属课时: 'lesson',
	课时: 'lesson',
	原文出处: 'sourceRef',
	出处: 'sourceRef',
	来源: 'sourceRef',
	采分点: 'rubric',
	评分要点: 'rubric',
	得分点: 'rubric',
	评分标准: 'rubric',
	字数上限: 'maxLength',
	字数限制: 'maxLength',
	最多字数: 'maxLength'
};

/** A header cell as compared: no spaces, half-width, no 必填 marks (*, （必填）). */
function headerKey(cell: string): string {
	return cell
		.normalize('NFKC')
		.replace(/\s/g, '')
		.replace(/\*/g, '')
		.replace(/\([^)]*\)$/, '')
		.toUpperCase();
}

/** What a header cell names: a field, an option (0 = A), or nothing. */
function headerField(cell: string): Field | number | null {
	const key = headerKey(cell);
	const option = /^(?:选项)?([A-H])$/.exec(key);
	if (option) return option[1]!.charCodeAt(0) - 65;
	return HEADER_ALIASES[key] ?? null;
}

interface Columns {
	line: number;
	fields: Partial<Record<Field, number>>;
	/** Column index per option (A…H). */
	options: (number | undefined)[];
	/** Columns not imported: their header text, or 'X 列（无表头）'. */
	ignored: number[];
	header: string[];
}

/**
 * Whether a row is the header: it names two or more of the template's columns, one of them
 * other than an option (a data row's answer and option cells may read A, B…).
 */
function isHeader(cells: string[]): boolean {
	const fields = cells.filter(Boolean).map(headerField);
	return fields.filter((f) => f !== null).length >= 2 && fields.some((f) => typeof f === 'string');
}

/** The header: the first of the first ten rows that is one (title rows above it are passed over). */
function findHeader(rows: SheetRow[]): { columns: Columns; at: number } {
	const at = rows.slice(0, 10).findIndex((r) => isHeader(r.cells));
	if (at < 0) {
		throw new ImportError(
			`没有找到表头：第一行应为 ${REQUIRED.map((f) => FIELD_NAMES[f]).join('、')}、选项A… 等列名。请下载模板，按模板表头填写`
		);
	}
	const row = rows[at]!;
	const columns: Columns = { line: row.line, fields: {}, options: [], ignored: [], header: row.cells };
	const seen = new Map<string, number>();
	row.cells.forEach((cell, i) => {
		if (!cell) return;
		const field = headerField(cell);
		if (field === null) return columns.ignored.push(i);
		const name = typeof field === 'number' ? `选项${OPTION_COLUMN_LETTERS[field]}` : FIELD_NAMES[field];
		const before = seen.get(name);
		if (before !== undefined) {
			throw new ImportError(
				`表头中有两列“${name}”（${columnLetters(before + 1)} 列和 ${columnLetters(i + 1)} 列）：请只保留一列后重试`
			);
		}
		seen.set(name, i);
		if (typeof field === 'number') columns.options[field] = i;
		else columns.fields[field] = i;
	});
	const missing = REQUIRED.filter((f) => columns.fields[f] === undefined);
	if (missing.length) {
		throw new ImportError(
			`表头缺少：${missing.map((f) => FIELD_NAMES[f]).join('、')}。请下载模板，按模板表头填写`
		);
	}
	return { columns, at };
}

/** A cell's text as written: line breaks as \n, the apostrophe exports put before = + - @ taken off. */
function cleanCell(text: string | undefined): string {
	return (text ?? '').replace(/\r\n?/g, '\n').replace(/^'(?=[\t\r\n]|\s*[=+\-@])/, '');
}

const excerptOf = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 60);

const TYPE_WORDS: Record<string, QuestionType> = {
	单选: 'single',
	单项选择: 'single',
	单项: 'single',
	单选择: 'single',
	single: 'single',
	多选: 'multiple',
	多项选择: 'multiple',
	多项: 'multiple',
	不定项: 'multiple',
	不定项选择: 'multiple',
	multiple: 'multiple',
	判断: 'truefalse',
	是非: 'truefalse',
	对错: 'truefalse',
	truefalse: 'truefalse',
	填空: 'fill',
	fill: 'fill',
	简答: 'essay',
	简述: 'essay',
	问答: 'essay',
	论述: 'essay',
	essay: 'essay'
};
/** Types this product does not have, as the skipped message names them. */
const UNSUPPORTED_TYPES: Record<string, string> = {
	名词解释: '名词解释题',
	案例分析: '案例分析题',
	材料分析: '材料分析题',
	计算: '计算题',
	主观: '主观题',
	作文: '作文题',
	排序: '排序题',
	连线: '连线题',
	匹配: '匹配题'
};
const TYPE_HINT = '请填写 单选、多选、判断、填空 或 简答';

type Outcome = { question: Omit<SourceQuestion, 'line'> } | { problem: string; skipped?: boolean };

function typeOf(raw: string): { type: QuestionType } | { problem: string; skipped?: boolean } {
	const key = raw.normalize('NFKC').replace(/\s/g, '').toLowerCase().replace(/题$/, '');
	if (!key) return { problem: `没有填写题型：${TYPE_HINT}` };
	const type = TYPE_WORDS[key];
	if (type) return { type };
	const unsupported = UNSUPPORTED_TYPES[key];
	if (unsupported) return { problem: `暂不支持${unsupported}，已跳过`, skipped: true };
	return { problem: `不认识的题型“${excerptOf(raw)}”：${TYPE_HINT}` };
}

/** Letters of a choice answer (B, ACD, A,C,D, A、C、D, Ａ…), or null when it is not letters. */
function answerLetters(raw: string): string | null {
	const s = raw
		.normalize('NFKC')
		.toUpperCase()
		.replace(/[\s,;、.。:：()[\]【】{}'"“”‘’|/+&和及]/g, '');
	return /^[A-H]+$/.test(s) ? s : null;
}

function choiceAnswer(type: 'single' | 'multiple', raw: string, options: string[]): Outcome | number[] {
	let indexes: number[];
	const letters = answerLetters(raw);
	if (letters) {
		const beyond = [...new Set(letters)].filter((l) => l.charCodeAt(0) - 65 >= options.length);
		if (beyond.length) return { problem: `答案 ${beyond.join('、')} 没有对应的选项` };
		indexes = [...letters].map((l) => l.charCodeAt(0) - 65);
	} else {
		// The option's own text (or several, separated as letters are).
		const parts = type === 'single' ? [raw.trim()] : raw.split(/[,，;；、|｜\n]/).map((p) => p.trim());
		const found = parts.filter(Boolean).map((p) => options.indexOf(p));
		if (found.length === 0 || found.includes(-1))
			return { problem: `答案“${excerptOf(raw)}”不是选项字母：请填写 A–H 中的字母，如 B 或 ACD` };
		indexes = found;
	}
	indexes = [...new Set(indexes)].sort((a, b) => a - b);
	const written = indexes.map((i) => OPTION_COLUMN_LETTERS[i]).join('');
	if (type === 'single' && indexes.length > 1)
		return { problem: `单选题只能有一个答案（填写了 ${written}）：有多个正确答案时，题型请填“多选”` };
	if (type === 'multiple' && indexes.length < 2)
		return { problem: `多选题至少要有两个正确答案（填写了 ${written}）：只有一个正确答案时，题型请填“单选”` };
	return indexes;
}

const TRUE_WORDS = new Set(['对', '正确', '√', '✓', '✔', '☑', 'T', 'TRUE', 'Y', 'YES', '是', '1']);
const FALSE_WORDS = new Set(['错', '错误', '×', '✗', '✘', '☒', 'X', 'F', 'FALSE', 'N', 'NO', '否', '0']);

function truth(raw: string): boolean | null {
	const key = raw
		.normalize('NFKC')
		.toUpperCase()
		.replace(/[\s.。!！()（）【】[\]]/g, '');
	if (TRUE_WORDS.has(key)) return true;
	if (FALSE_WORDS.has(key)) return false;
	return null;
}

function truefalseAnswer(raw: string, options: string[]): Outcome | boolean {
	const value = truth(raw);
	if (value !== null) return value;
	// 判断题 written as a choice: 选项A 正确, 选项B 错误, 答案 A.
	const letters = answerLetters(raw);
	if (letters?.length === 1 && options.length) {
		const meant = truth(options[letters.charCodeAt(0) - 65] ?? '');
		if (meant !== null) return meant;
	}
	return { problem: `判断题的答案应为“对”或“错”（也可写 √ ×、正确 错误、T F），不是“${excerptOf(raw)}”` };
}

/** A fill-in stem with its blanks as ____, and the text of any 【…】 blanks (their answers). */
function fillStem(stem: string): { stem: string; inline: string[] } {
	const inline: string[] = [];
	const out = stem
		.replace(/【([^】]*)】/g, (_, text: string) => {
			inline.push(text.trim());
			return BLANK;
		})
		.replace(/[_＿]{2,}/g, BLANK)
		.replace(/[（(][\s\u3000]*[）)]/g, BLANK);
	return { stem: out, inline: inline.every(Boolean) ? inline : [] };
}

const variantsOf = (blank: string) => [
	...new Set(
		blank
			.split(/[｜|]/)
			.map((v) => v.trim())
			.filter(Boolean)
	)
];

function fillAnswer(raw: string, blankCount: number, inline: string[]): Outcome | string[][] {
	if (blankCount === 0)
		return { problem: `填空题题干中没有空：请用 ${BLANK}（四个下划线）或（\u3000）标出要填的地方` };
	let blanks = raw.trim() ? raw.split(/[；;]/).map((b) => b.trim()) : inline;
	while (blanks.length > blankCount && blanks.at(-1) === '') blanks = blanks.slice(0, -1);
	if (blanks.length === 1 && blankCount > 1) {
		// One blank's answers each, separated by commas or spaces instead of ；.
		const split = blanks[0]!.split(/[，,、]|\s+/).filter(Boolean);
		if (split.length === blankCount) blanks = split;
	}
	if (blanks.length !== blankCount) {
		return {
			problem: `题干有 ${blankCount} 个空，但答案有 ${blanks.length} 组：各空的答案用“；”分隔，同一空的几种答案用“｜”分隔`
		};
	}
	const answer = blanks.map(variantsOf);
	const empty = answer.findIndex((v) => v.length === 0);
	if (empty >= 0) return { problem: `第 ${empty + 1} 空没有答案` };
	return answer;
}

/** A 简答's key: 答案 is the reference answer, 采分点 the rubric, 字数上限 the limit (empty: 500). */
function essayAnswer(
	reference: string,
	rubricCell: string,
	lengthCell: string
): EssayAnswer | { problem: string } {
	if (!reference) return { problem: '没有参考答案：简答题请在“答案”列填写参考答案' };
	if (!rubricCell.trim())
		return { problem: `没有采分点：简答题请在“采分点”列填写要点和分值，如 ${RUBRIC_EXAMPLE}` };
	const rubric = parseRubric(rubricCell);
	if ('problem' in rubric) return rubric;
	const length = parseLength(lengthCell);
	if ('problem' in length) return length;
	return { reference, rubric: rubric.rubric, maxLength: length.maxLength ?? ESSAY_LIMITS.defaultLength };
}

function readRow(cells: (column: number | undefined) => string, columns: Columns): Outcome {
	const field = (f: Field) => cells(columns.fields[f]);
	const kind = typeOf(field('type'));
	if ('problem' in kind) return kind;
	const { type } = kind;
	const stem = field('stem').trim();
	if (!stem) return { problem: '题干是空的' };

	const given = OPTION_COLUMN_LETTERS.map((_, i) => cells(columns.options[i]).trim());
	const options = given.slice(0, given.findLastIndex(Boolean) + 1);
	const raw = field('answer').trim();
	let answer: SourceQuestion['answer'];
	let questionStem = stem;
	let questionOptions: string[] = [];
	if (type === 'single' || type === 'multiple') {
		const gap = options.findIndex((o) => !o);
		if (gap >= 0)
			return { problem: `选项${OPTION_COLUMN_LETTERS[gap]}是空的，但后面还有选项：请从选项A起依次填写` };
		if (options.length < 2) return { problem: '选择题至少要有两个选项' };
		if (!raw) return { problem: '没有正确答案：请在“答案”列填写正确选项的字母' };
		const result = choiceAnswer(type, raw, options);
		if (!Array.isArray(result)) return result;
		answer = type === 'single' ? result[0]! : result;
		questionOptions = options;
	} else if (type === 'essay') {
		if (options.length) return { problem: '简答题没有选项：请把选项列留空' };
		const result = essayAnswer(raw, field('rubric'), field('maxLength'));
		if ('problem' in result) return result;
		answer = result;
	} else if (type === 'truefalse') {
		if (!raw) return { problem: '没有正确答案：判断题请在“答案”列填写“对”或“错”' };
		const result = truefalseAnswer(raw, options);
		if (typeof result !== 'boolean') return result;
		answer = result;
	} else {
		const fill = fillStem(stem);
		questionStem = fill.stem;
		const blankCount = fill.stem.split(BLANK).length - 1;
		if (!raw && !fill.inline.length && blankCount)
			return { problem: '没有正确答案：请在“答案”列填写每个空的答案' };
		const result = fillAnswer(raw, blankCount, fill.inline);
		if (!Array.isArray(result)) return result;
		answer = result;
	}

	const difficultyText = field('difficulty').normalize('NFKC').replace(/\s/g, '');
	const difficulty = difficultyText ? difficultyOf(difficultyText) : null;
	if (difficultyText && difficulty === null)
		return { problem: `难度应为 易、中 或 难（也可留空），不是“${excerptOf(difficultyText)}”` };

	return {
		question: {
			type,
			stem: questionStem,
			options: questionOptions,
			answer,
			explanation: field('explanation').trim(),
			difficulty,
			lesson: field('lesson').trim(),
			sourceRef: field('sourceRef').trim()
		}
	};
}

/** The questions of a sheet's rows (header found by name, rows above it passed over). */
export function questionsOfRows(rows: SheetRow[]): ParseResult {
	const { columns, at } = findHeader(rows);
	const questions: SourceQuestion[] = [];
	const problems: SourceProblem[] = [];
	const known = [
		...Object.values(columns.fields),
		...columns.options.filter((i): i is number => i !== undefined)
	].sort((a, b) => a - b);
	const data = rows.slice(at + 1);
	// Columns not imported: named ones, and unnamed ones that hold something.
	const unnamed = new Set<number>();
	for (const { cells } of data)
		cells.forEach((c, i) => {
			if (c && !columns.header[i] && !known.includes(i)) unnamed.add(i);
		});
	const ignored = [
		...columns.ignored.map((i) => `“${columns.header[i]}”`),
		...[...unnamed].sort((a, b) => a - b).map((i) => `${columnLetters(i + 1)} 列（无表头）`)
	];
	if (ignored.length) {
		problems.push({
			line: columns.line,
			excerpt: excerptOf(ignored.join('、')),
			message: `这些列不会导入：${ignored.join('、')}（可导入的列见模板的“说明”页）`,
			skipped: true
		});
	}
	let rowsWithContent = 0;
	for (const row of data) {
		const cells = (column: number | undefined) => (column === undefined ? '' : cleanCell(row.cells[column]));
		// A row with nothing in the template's columns (a 序号 alone) is a blank row.
		if (known.every((i) => !cells(i).trim())) continue;
		rowsWithContent++;
		const outcome = readRow(cells, columns);
		if ('question' in outcome) questions.push({ line: row.line, ...outcome.question });
		else {
			const stem = cells(columns.fields.stem);
			const excerpt = excerptOf(stem.trim() ? stem : known.map(cells).filter(Boolean).join(' '));
			problems.push({ line: row.line, excerpt, message: outcome.problem, skipped: outcome.skipped ?? false });
		}
	}
	if (rowsWithContent === 0) throw new ImportError('表格中没有题目：请在表头下方逐行填写，每行一道题');
	return { questions, problems };
}

const extensionOf = (fileName: string) => /\.([^.]+)$/.exec(fileName.toLowerCase())?.[1] ?? '';
const isOle = (bytes: Uint8Array) => [0xd0, 0xcf, 0x11, 0xe0].every((b, i) => bytes[i] === b);
const OLD_OR_LOCKED =
	'无法读取该 Excel 文件：它可能是旧版 .xls 文件或设置了打开密码。请在 Excel 或 WPS 中另存为 .xlsx（不设密码）后重试';

/**
 * The questions of an uploaded sheet: .xlsx (its first sheet) or .csv/.tsv/.txt (CSV or
 * Excel's tab-separated "Unicode 文本"). Refused whole (ImportError, Chinese) when it is
 * another kind of file or breaks a bound of IMPORT_LIMITS while being read.
 */
export async function parseSheet(fileName: string, bytes: Uint8Array): Promise<ParseResult> {
	if (bytes.length === 0) throw new ImportError('文件是空的');
	if (bytes.length > IMPORT_LIMITS.fileBytes)
		throw new ImportError(`文件超过 ${IMPORT_LIMITS.fileBytes / 1024 / 1024} MB：请分批导入`);
	const extension = extensionOf(fileName);
	let rows: SheetRow[];
	try {
		if (extension === 'xls' || extension === 'et' || isOle(bytes)) throw new ImportError(OLD_OR_LOCKED);
		if (!['xlsx', 'xlsm', 'csv', 'tsv', 'txt'].includes(extension))
			throw new ImportError('不支持这种文件：请上传 .xlsx 或 .csv 文件（可先下载模板）');
		if (isZip(bytes)) rows = (await readXlsxRows(bytes, QUESTION_SHEET)).rows;
		else if (extension.startsWith('xls'))
			throw new ImportError('无法读取该 Excel 文件：请用模板另存为 .xlsx 后重试');
		else rows = readCsvRows(bytes, QUESTION_SHEET).rows;
	} catch (e) {
		if (e instanceof SpreadsheetError) throw new ImportError(e.message);
		throw e;
	}
	return questionsOfRows(rows);
}

/**
 * Whether a text file (.txt, .csv) is a question sheet rather than a text bank: its first
 * non-blank line is a header with tabs or commas naming 题型 and 题干 (or their aliases).
 * For the pipeline's format detection.
 */
export function looksLikeSheet(bytes: Uint8Array): boolean {
	let text: string;
	try {
		text = decodeText(bytes);
	} catch {
		return false;
	}
	const first =
		text
			.slice(0, 4096)
			.split(/\r?\n/)
			.find((l) => l.trim()) ?? '';
	const cells = first.split(/[\t,]/).map(headerField);
	return cells.includes('type') && cells.includes('stem');
}

// ——— Writing ———

const TYPE_NAMES: Record<QuestionType, string> = {
	single: '单选',
	multiple: '多选',
	truefalse: '判断',
	fill: '填空',
	essay: '简答'
};
const DIFFICULTY_NAMES = { 1: '易', 2: '中', 3: '难' } as const;

/** A question's 答案 cell in the template's conventions (a 简答's: its reference answer). */
export function answerText(type: QuestionType, answer: QuestionDoc['answer']): string {
	switch (type) {
		case 'single':
			return OPTION_COLUMN_LETTERS[answer as number] ?? '';
		case 'multiple':
			return (answer as number[]).map((i) => OPTION_COLUMN_LETTERS[i]).join('');
		case 'truefalse':
			return answer ? '对' : '错';
		case 'fill':
			return (answer as string[][]).map((variants) => variants.join('｜')).join('；');
		case 'essay':
			return (answer as EssayAnswer).reference;
	}
}

/** One question as a template row (SHEET_COLUMNS' order). */
function questionRow(q: Omit<QuestionDoc, 'key' | 'lessonKey'> & { lesson: string }): string[] {
	return [
		TYPE_NAMES[q.type],
		q.stem,
		...OPTION_COLUMN_LETTERS.map((_, i) => q.options[i] ?? ''),
		answerText(q.type, q.answer),
		q.explanation,
		DIFFICULTY_NAMES[q.difficulty],
		q.lesson,
		q.sourceRef,
		q.type === 'essay' ? rubricText((q.answer as EssayAnswer).rubric) : '',
		q.type === 'essay' ? String((q.answer as EssayAnswer).maxLength) : ''
	];
}

/** A draft's questions as template rows, the header first; 对应课时 is the lesson's title. */
function bankRows(doc: ModuleDoc): string[][] {
	const titles = new Map(doc.lessons.map((l) => [l.key, l.title]));
	return [
		[...SHEET_COLUMNS],
		...doc.questions.map((q) => questionRow({ ...q, lesson: titles.get(q.lessonKey) ?? '' }))
	];
}

const EXAMPLES: string[][] = [
	questionRow({
		type: 'single',
		stem: '全过程人民民主是社会主义民主政治的（　）。',
		options: ['本质属性', '基本特征', '重要内容', '根本目标'],
		answer: 0,
		explanation: '报告指出：全过程人民民主是社会主义民主政治的本质属性，是最广泛、最真实、最管用的民主。',
		difficulty: 1,
		lesson: '',
		sourceRef: '报告第六部分'
	}),
	questionRow({
		type: 'multiple',
		stem: '报告提出，推进（　），统筹立改废释纂，增强立法系统性、整体性、协同性、时效性。',
		options: ['科学立法', '民主立法', '依法立法', '突击立法'],
		answer: [0, 1, 2],
		explanation: '报告第七部分：推进科学立法、民主立法、依法立法，统筹立改废释纂。',
		difficulty: 2,
		lesson: '',
		sourceRef: '报告第七部分'
	}),
	questionRow({
		type: 'truefalse',
		stem: '报告指出，全面建设社会主义现代化国家，最艰巨最繁重的任务仍然在农村。',
		options: [],
		answer: true,
		explanation: '报告第四部分：全面建设社会主义现代化国家，最艰巨最繁重的任务仍然在农村。',
		difficulty: 1,
		lesson: '',
		sourceRef: '报告第四部分'
	}),
	questionRow({
		type: 'fill',
		stem: `报告提出，从${BLANK}年到${BLANK}年基本实现社会主义现代化。`,
		options: [],
		answer: [
			['二〇二〇', '2020'],
			['二〇三五', '2035']
		],
		explanation: '报告第三部分：从二〇二〇年到二〇三五年基本实现社会主义现代化。',
		difficulty: 3,
		lesson: '',
		sourceRef: '报告第三部分'
	}),
	questionRow({
		type: 'essay',
		stem: '简述人大代表应当如何密切联系人民群众。',
		options: [],
		answer: {
			reference:
				'人大代表应当通过多种方式经常联系原选区选民或者原选举单位，听取和反映人民群众的意见和要求，努力为人民服务，接受人民群众监督。',
			rubric: [
				{ point: '经常联系原选区选民或者原选举单位', points: 3 },
				{ point: '听取和反映人民群众的意见和要求', points: 3 },
				{ point: '努力为人民服务，接受监督', points: 2 }
			],
			maxLength: 300
		},
		explanation: '',
		difficulty: 2,
		lesson: '',
		sourceRef: '代表法'
	})
];

/** The 说明 sheet: each column and the answer conventions, in plain Chinese. */
const GUIDE: string[][] = [
	['列名', '是否必填', '填写说明'],
	[
		'题型',
		'必填',
		'填写 单选、多选、判断、填空 或 简答（也可以写“单选题”“简答题”等）。简答题只用于考试，不进入模块测验。名词解释、案例分析等其他题型暂不支持，导入时会列出并跳过。'
	],
	[
		'题干',
		'必填',
		'题目的内容。填空题请用 ____（四个下划线）或（　）标出每一个空，空的先后顺序就是答案的顺序。'
	],
	[
		'选项A～选项H',
		'选择题必填',
		'单选题、多选题至少填写两个选项，从选项A起依次填写，中间不要空着；用不到的选项列留空即可。判断题、填空题、简答题不填选项。'
	],
	[
		'答案',
		'必填',
		'单选题填一个字母，如 B。多选题填两个或更多字母，如 ACD（也可以写成 A,C,D 或 A、C、D）。判断题填 对 或 错（也可以写 √ ×、正确 错误、T F）。填空题按空的顺序填写答案，各空之间用“；”分隔；同一个空有几种正确写法时，用“｜”分隔，例如：二〇二〇｜2020；二〇三五｜2035。简答题填参考答案（最多 3000 字，可以换行）。'
	],
	[
		'解析',
		'建议填写',
		'学员答题后看到的讲解，建议写明依据的原文。可以先留空导入，但补上解析之前，模块不能提交审核（简答题可以没有解析）。'
	],
	['难度', '选填', '填写 易、中 或 难；留空按“中”处理。'],
	[
		'对应课时',
		'选填',
		'本题考查的课时：填写本模块中该课时的标题（与标题一字不差），也可以写“第 2 课”。留空的题目归入您在导入页面上选择的课时。导入预览会显示每道题归入的课时。'
	],
	['原文出处', '选填', '本题依据的原文位置，例如：报告第六部分第3段。'],
	[
		'采分点',
		'简答题必填',
		`阅卷人逐条给分的要点：每条写“要点（分值）”，各条之间用“；”分隔，例如：${RUBRIC_EXAMPLE}。分值为 0.5–100 分，可以是 0.5 的倍数，最多 10 条；合计就是这道题的默认分值。其他题型不填。`
	],
	['字数上限', '选填', '简答题考生作答最多多少字，填 50–5000 的整数；留空为 500 字。其他题型不填。'],
	[],
	['其他说明'],
	[
		'1. 请在第一个工作表中填写题目，每行一道题；第一行是表头，请不要修改列名。列的先后顺序可以调整，不用的选填列可以删除。'
	],
	['2. 表中的其他列（如序号、分值、备注）不会导入，导入预览中会列出这些列。空行会被忽略。'],
	[`3. 一次最多导入 ${IMPORT_LIMITS.questions} 道题，每个单元格最多 ${IMPORT_LIMITS.cellChars} 个字。`],
	['4. 可以保存为 .xlsx 文件导入，也可以另存为 CSV（UTF-8 或 GBK 编码均可）或“Unicode 文本”后导入。'],
	['5. 导入前会先显示预览：哪些题目可以导入，哪些行有问题（写明第几行和原因）。您确认后才会写入题库。'],
	['6. 本页（说明）不会被导入。']
];

const WIDTHS: Record<string, number> = {
	题型: 8,
	题干: 48,
	答案: 14,
	采分点: 30,
	字数上限: 8,
	解析: 40,
	难度: 6,
	对应课时: 18,
	原文出处: 18
};

/** A workbook of a question sheet (rows, header first) and the 说明 sheet; every cell made inert. */
async function bankWorkbook(rows: string[][]): Promise<Buffer> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('题目', { views: [{ state: 'frozen', ySplit: 1 }] });
	sheet.columns = SHEET_COLUMNS.map((h) => ({ width: WIDTHS[h] ?? 16 }));
	for (const row of rows) sheet.addRow(row.map((c) => (c === '' ? null : inertCell(c))));
	sheet.getRow(1).font = { bold: true };
	for (const h of ['题干', '解析'] as const) {
		sheet.getColumn(SHEET_COLUMNS.indexOf(h) + 1).alignment = { wrapText: true, vertical: 'top' };
	}
	const guide = workbook.addWorksheet('说明');
	guide.columns = [{ width: 14 }, { width: 12 }, { width: 90 }];
	for (const row of GUIDE) guide.addRow(row.map((c) => inertCell(c)));
	guide.getRow(1).font = { bold: true };
	guide.getRow(GUIDE.findIndex((r) => r[0] === '其他说明') + 1).font = { bold: true };
	guide.getColumn(3).alignment = { wrapText: true, vertical: 'top' };
	return Buffer.from(await workbook.xlsx.writeBuffer());
}

function csvCell(value: string): string {
	const s = String(inertCell(value));
	return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** UTF-8 CSV with a BOM (so Excel opens the Chinese right); every cell made inert. */
function bankCsvText(rows: string[][]): string {
	return '\uFEFF' + rows.map((row) => row.map(csvCell).join(',') + '\r\n').join('');
}

/** The downloadable template: the header, one example row per type, and the 说明 sheet. */
export function bankTemplateXlsx(): Promise<Buffer> {
	return bankWorkbook([[...SHEET_COLUMNS], ...EXAMPLES]);
}

/** The template as CSV (UTF-8 with BOM): the header and the example rows. */
export function bankTemplateCsv(): string {
	return bankCsvText([[...SHEET_COLUMNS], ...EXAMPLES]);
}

/** A draft's questions in the template's columns (with its 说明 sheet), for export. */
export function bankXlsx(doc: ModuleDoc): Promise<Buffer> {
	return bankWorkbook(bankRows(doc));
}

/** A draft's questions in the template's columns as CSV (UTF-8 with BOM). */
export function bankCsv(doc: ModuleDoc): string {
	return bankCsvText(bankRows(doc));
}
