import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, eq, lt } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { questionImports } from '../db/schema';
import type { AuditActor } from '../audit';
import { TYPE_LABELS } from '../quiz/questions';
import type { FieldErrors } from '../validation';
import { parseQuestion, questionFields, questionWarnings } from '../authoring/questions';
export { MISSING_EXPLANATION } from '../authoring/questions';
import {
	actorOwner,
	docOf,
	editDraft,
	formError,
	NOT_FOUND,
	ownedDraft,
	UNDER_REVIEW,
	type EditOutcome
} from '../authoring/store';
import { LIMITS } from '../authoring/validate';
import type { ModuleDoc, QuestionDoc } from '../authoring/doc';
import { authorOwner, type AuthorUser } from '../authoring/owner';
import type { Fields, Result } from '../authoring/types';
import { OPTION_LETTERS } from '../../lesson-editor';
import { ImportError } from './errors';
import {
	FORMAT_LABELS,
	IMPORT_FORMATS,
	IMPORT_LIMITS,
	type ImportFormat,
	type ParseResult,
	type SourceProblem,
	type SourceQuestion
} from './types';
import { parseText } from './text';
import { parseDocx } from './docx';
import { parseGift } from './gift';
import { parseAiken } from './aiken';
import { looksLikeSheet, parseSheet } from './sheet';

/*
 * The import pipeline of a question bank (issue #16): a file or pasted text is read by its
 * format's reader, each question is checked against the draft with the question form's own rule
 * (parseQuestion), duplicates and unknown lessons are found, and the result is staged in
 * `question_imports` for the preview — nothing touches the draft. The author's confirmation adds
 * the ready questions through editDraft: one transaction with its audit row, or nothing.
 */

/** What the author chose on the import page: a format, or 自动识别. */
export const FORMAT_CHOICES = ['auto', ...IMPORT_FORMATS] as const;
export type FormatChoice = (typeof FORMAT_CHOICES)[number];

/** The source of an import: an uploaded file, or text pasted into the page. */
export type ImportInput =
	{ kind: 'file'; fileName: string; bytes: Uint8Array } | { kind: 'text'; text: string };

export interface StageOptions {
	format?: FormatChoice;
	/** The lesson of questions whose source names none ('' or unknown: the draft's first lesson). */
	lessonKey?: string;
}

/** A question ready to import: as the draft will hold it (without its key), and its warnings. */
export interface StagedQuestion {
	line: number;
	question: Omit<QuestionDoc, 'key'>;
	warnings: string[];
}

/** What `question_imports.data` holds. */
export interface StagedData {
	questions: StagedQuestion[];
	problems: SourceProblem[];
	/** Questions that were fine but over the bank's limit (LIMITS.questions), not imported. */
	overLimit: number;
}

/** A preview's page of items, in the order of the source. */
export type PreviewItem =
	| ({ kind: 'question'; lessonTitle: string; typeLabel: string } & Omit<StagedQuestion, 'question'> &
			Omit<QuestionDoc, 'key'>)
	| ({ kind: 'problem' } & SourceProblem);

export const PREVIEW_SHOWS = ['all', 'ready', 'problems'] as const;
export type PreviewShow = (typeof PREVIEW_SHOWS)[number];
export const PREVIEW_PAGE_SIZE = 50;

export interface ImportPreview {
	token: string;
	draftId: number;
	fileName: string;
	format: ImportFormat;
	formatLabel: string;
	createdAt: Date;
	/** 可导入 N 道 · 有问题 M 处 · 已跳过 K 道 (skipped: types this product does not have). */
	ready: number;
	problems: number;
	skipped: number;
	overLimit: number;
	show: PreviewShow;
	page: number;
	pages: number;
	/** Items of the chosen list (all, ready, problems). */
	total: number;
	items: PreviewItem[];
}

const STAGED_LIFETIME_MS = 24 * 60 * 60 * 1000;
export const IMPORT_NOT_FOUND = '没有找到这次导入，可能已经导入、已放弃或已超过 24 小时失效';
export const NO_LESSONS = '模块还没有课时：每道题都要关联一个课时，请先添加课时再导入题目';

// ---------------------------------------------------------------- formats

const EXTENSIONS: Record<string, ImportFormat> = {
	'.xlsx': 'sheet',
	'.csv': 'sheet',
	'.docx': 'text',
	'.gift': 'gift',
	'.txt': 'text'
};

const OLD_FORMATS: Record<string, string> = {
	'.xls': '不支持 .xls（旧版 Excel）文件：请在 Excel 中“另存为” .xlsx 后上传',
	'.doc': '不支持 .doc（旧版 Word）文件：请在 Word 中“另存为” .docx 后上传',
	'.wps': '不支持 .wps 文件：请在 WPS 中“另存为” .docx 后上传',
	'.et': '不支持 .et 文件：请在 WPS 表格中“另存为” .xlsx 后上传'
};

export const UNSUPPORTED_FILE = '不支持这种文件：请上传 .xlsx、.csv、.docx、.txt 或 .gift 文件';

function extensionOf(fileName: string): string {
	const m = /\.[^./\\]+$/.exec(fileName.trim().toLowerCase());
	return m ? m[0] : '';
}

/**
 * Whether pasted or .txt text reads as Moodle GIFT: answers in braces with ~ or =, ::title::,
 * $CATEGORY, or a 简答's key in our comments (// 参考答案：…, // 采分点：…).
 */
function looksLikeGift(text: string): boolean {
	return (
		/^\s*\$CATEGORY:/im.test(text) ||
		/^\s*\/\/\s*(参考答案|采分点)\s*[：:]/m.test(text) ||
		/^\s*::[^:\n]*::/m.test(text) ||
		/(?<!\\)\{[^{}]*(?<!\\)[~=][^{}]*(?<!\\)\}/.test(text) ||
		/(?<!\\)\{\s*(T|F|TRUE|FALSE)\s*(#[^{}]*)?\}/i.test(text)
	);
}

/** Whether text reads as Aiken: an `ANSWER: B` line after lettered options. */
function looksLikeAiken(text: string): boolean {
	return /^\s*ANSWER\s*:\s*[A-Za-z]\s*$/m.test(text) && /^\s*[A-Za-z][.)]\s+\S/m.test(text);
}

function textFormat(text: string): ImportFormat {
	// Cells copied from the template (a header row naming 题型 and 题干, tab- or comma-separated).
	if (looksLikeSheet(new TextEncoder().encode(text.slice(0, 4096)))) return 'sheet';
	if (looksLikeGift(text)) return 'gift';
	if (looksLikeAiken(text)) return 'aiken';
	return 'text';
}

/**
 * The format of a source: .xlsx/.csv are the template, .docx the exam-paper layout, .gift GIFT;
 * a .txt file or pasted text (fileName '') is GIFT if it looks like it, Aiken if it has
 * `ANSWER:` lines, else the exam-paper layout. An unknown kind of file is an ImportError.
 */
export function detectFormat(fileName: string, content: Uint8Array | string): ImportFormat {
	const ext = extensionOf(fileName);
	if (fileName && ext !== '.txt') {
		const format = EXTENSIONS[ext];
		if (!format) throw new ImportError(OLD_FORMATS[ext] ?? UNSUPPORTED_FILE);
		return format;
	}
	// A .txt may be the template saved by Excel as "Unicode 文本" (UTF-16, tab-separated).
	if (typeof content !== 'string' && looksLikeSheet(content)) return 'sheet';
	return textFormat(typeof content === 'string' ? content : decodeText(content));
}

/**
 * The text of a .txt or .gift file: UTF-8 (± BOM), UTF-16 with its BOM ("Unicode 文本"), else
 * GB18030 (which covers GBK), as Chinese Windows saves "ANSI" text.
 */
export function decodeText(bytes: Uint8Array): string {
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
		return new TextDecoder('utf-8').decode(bytes.subarray(3));
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return new TextDecoder('gb18030').decode(bytes);
	}
}

/** What each reader expected, said when it recognised nothing at all. */
export const EXPECTED: Record<ImportFormat, string> = {
	sheet:
		'没有读到题目：表格第一行应为表头（题型、题干、选项A…选项H、答案、解析、难度、对应课时、原文出处、采分点、字数上限），从第二行起每行一道题。请下载模板对照填写。',
	text: '没有识别出题目：每道题以题号开头（如“1.”“1、”“（1）”），选项以“A.”“B、”等开头，答案写在题干的括号里（如“（B）”）或另起一行“答案：B”。',
	gift: '没有识别出 GIFT 题目：每道题的答案写在 { } 中，正确答案以 = 开头、错误答案以 ~ 开头，题目之间空一行。',
	aiken:
		'没有识别出 Aiken 题目：每道题先写题干，再每行一个选项（如“A. …”），最后一行写“ANSWER: B”，题目之间空一行。'
};

/** The import page's examples of each text format (a test reads each with its reader). */
export const FORMAT_EXAMPLES = {
	text: `一、单项选择题
1. 人大代表由谁选举产生？（A）
A. 选民或下一级人民代表大会
B. 上级任命
C. 单位推荐
解析：人大代表由选民直接选举或由下一级人大选举产生。

二、多项选择题
2、代表的权利包括（\u3000）
A．审议权\u3000B．表决权\u3000C．任命权
答案：AB

三、判断题
3. 代表应当模范地遵守宪法和法律。（√）

四、填空题
4. 代表依照____和法律行使职权。
答案：宪法

五、简答题
5. 简述人大代表应当如何联系群众。
参考答案：经常联系原选区选民或原选举单位，听取和反映群众的意见和要求。
采分点：联系原选区选民或原选举单位（3分）；听取和反映群众的意见和要求（2分）
字数上限：300`,
	gift: `$CATEGORY: 代表的权利和义务

::题1:: 人大代表由谁选举产生？ {
=选民或下一级人民代表大会
~上级任命
~单位推荐
}

::题2:: 代表应当模范地遵守宪法和法律。 {T}

// 参考答案：经常联系原选区选民或原选举单位，听取和反映群众的意见和要求。
// 采分点：联系原选区选民或原选举单位（3分）；听取和反映群众的意见和要求（2分）
::题3:: 简述人大代表应当如何联系群众。 {}`,
	aiken: `人大代表由谁选举产生？
A. 选民或下一级人民代表大会
B. 上级任命
C. 单位推荐
ANSWER: A`
} as const;

const WRONG_FILE: Record<ImportFormat, string> = {
	sheet:
		'所选格式是 Excel / CSV 模板：请上传 .xlsx、.csv 文件（或 Excel 另存的“Unicode 文本”），或把格式改为“自动识别”',
	text: '所选格式是文本或 Word：请上传 .docx 或 .txt 文件，或把格式改为“自动识别”',
	gift: '所选格式是 Moodle GIFT：请上传 .gift 或 .txt 文件，或把格式改为“自动识别”',
	aiken: '所选格式是 Moodle Aiken：请上传 .txt 文件，或把格式改为“自动识别”'
};

/** Reads a source in a format (detected when `auto`). Throws ImportError for what cannot be read. */
export async function readSource(
	input: ImportInput,
	choice: FormatChoice = 'auto'
): Promise<{ format: ImportFormat; result: ParseResult }> {
	if (input.kind === 'text') {
		if (input.text.length > IMPORT_LIMITS.pastedChars)
			throw new ImportError(
				`粘贴的文字不能超过 ${IMPORT_LIMITS.pastedChars.toLocaleString('en-US')} 个字：请分几次导入，或上传文件`
			);
		const format = choice === 'auto' ? textFormat(input.text) : choice;
		const text = input.text;
		switch (format) {
			case 'sheet':
				// Cells copied from Excel arrive tab-separated: read as the template's text.
				return { format, result: await parseSheet('粘贴的表格.txt', new TextEncoder().encode(text)) };
			case 'gift':
				return { format, result: parseGift(text) };
			case 'aiken':
				return { format, result: parseAiken(text) };
			case 'text':
				return { format, result: parseText(text) };
		}
	}
	const { fileName, bytes } = input;
	if (bytes.byteLength > IMPORT_LIMITS.fileBytes)
		throw new ImportError(
			`文件不能超过 ${IMPORT_LIMITS.fileBytes / 1024 / 1024} MB：请删去多余的内容，或分成几个文件导入`
		);
	const detected = detectFormat(fileName, bytes);
	const ext = extensionOf(fileName);
	const format = choice === 'auto' ? detected : choice;
	if (format === 'sheet') {
		if (ext !== '.xlsx' && ext !== '.csv' && ext !== '.txt') throw new ImportError(WRONG_FILE.sheet);
		return { format, result: await parseSheet(fileName, bytes) };
	}
	if (ext === '.xlsx' || ext === '.csv') throw new ImportError(WRONG_FILE[format]);
	if (ext === '.docx') {
		if (format !== 'text') throw new ImportError(WRONG_FILE[format]);
		return { format, result: await parseDocx(bytes) };
	}
	// The file's size is bounded above; the paste limit is for the paste box.
	const text = decodeText(bytes);
	if (format === 'gift') return { format, result: parseGift(text) };
	if (format === 'aiken') return { format, result: parseAiken(text) };
	return { format, result: parseText(text, Infinity) };
}

// ---------------------------------------------------------------- checking against the draft

const CHINESE_DIGITS: Record<string, number> = {
	一: 1,
	二: 2,
	两: 2,
	三: 3,
	四: 4,
	五: 5,
	六: 6,
	七: 7,
	八: 8,
	九: 9
};

/** 1–99 in Arabic or Chinese numerals (十二, 二十, 二十三); NaN otherwise. */
function numeral(text: string): number {
	if (/^\d{1,3}$/.test(text)) return Number(text);
	const m = /^([一二两三四五六七八九]?)(十?)([一二三四五六七八九]?)$/.exec(text);
	if (!m || !text) return NaN;
	const [, tens, ten, ones] = m;
	if (!ten) return tens && !ones ? CHINESE_DIGITS[tens]! : NaN;
	return (tens ? CHINESE_DIGITS[tens]! : 1) * 10 + (ones ? CHINESE_DIGITS[ones]! : 0);
}

const normalTitle = (text: string) =>
	text
		.normalize('NFKC')
		.replace(/\s+/g, '')
		.replace(/^《(.*)》$/, '$1');

/**
 * The draft's lesson a source names: its exact title (also in 《》), its key (l2), 第N课 (with or
 * without the title after it, as the bank page writes 第 2 课 …) or a bare position (2); '' is
 * the default lesson. null: no such lesson.
 */
export function lessonResolver(doc: ModuleDoc, defaultKey: string): (name: string) => string | null {
	const byTitle = new Map<string, string>();
	for (const lesson of doc.lessons)
		if (!byTitle.has(normalTitle(lesson.title))) byTitle.set(normalTitle(lesson.title), lesson.key);
	const keys = new Set(doc.lessons.map((l) => l.key));
	const atPosition = (n: number) => (n >= 1 ? (doc.lessons[n - 1]?.key ?? null) : null);
	return (name) => {
		const given = name.trim();
		if (!given) return defaultKey;
		const title = normalTitle(given);
		const exact = byTitle.get(title);
		if (exact) return exact;
		if (keys.has(given)) return given;
		const m = /^第(\d{1,3}|[一二两三四五六七八九十]{1,3})课[:：.、·]?(.*)$/.exec(title);
		if (m) return (m[2] && byTitle.get(m[2])) || atPosition(numeral(m[1]!));
		if (/^\d{1,3}$/.test(title)) return atPosition(Number(title));
		return null;
	};
}

/** A stem as duplicates are found: width, spaces, case and empty answer brackets do not count. */
export function stemKey(type: string, stem: string): string {
	const text = stem
		.normalize('NFKC')
		.replace(/\s+/g, '')
		.replace(/\(\)/g, '')
		.replace(/_{4,}/g, '____')
		.toLowerCase();
	return `${type}|${text}`;
}

/** A source question as the question form's fields (questionFields' names), with its lesson key. */
function sourceFields(q: SourceQuestion, lessonKey: string): Fields {
	const { line: _line, lesson: _lesson, ...question } = q;
	return questionFields({ ...question, key: '', lessonKey, difficulty: q.difficulty ?? 2 });
}

// The question form's "please fill in" messages, as an import says them.
const MISSING: Record<string, string> = {
	stem: '题干为空',
	correct: '没有正确答案',
	truefalse: '没有答案（判断题的答案应为“对”或“错”）',
	type: '题型不明',
	reference: '简答题没有参考答案',
	point0: '简答题没有采分点'
};

function problemMessage(errors: FieldErrors): string {
	const messages = Object.entries(errors).map(([field, message]) =>
		field === 'lessonKey'
			? '对应的课时已不存在'
			: message.startsWith('请') && MISSING[field]
				? MISSING[field]
				: message
	);
	return [...new Set(messages)].join('；');
}

const excerpt = (text: string) => {
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length > 60 ? line.slice(0, 60) + '…' : line;
};

// A question imported without an explanation is checked as if it had one, and kept without:
// Aiken and many Word banks have none, and the author adds them before submitting for review.
const EXPLANATION_PLACEHOLDER = '（待补充）';

/** One question checked as the question form checks it; the explanation may be empty (see above). */
function checkQuestion(
	doc: ModuleDoc,
	fields: Fields
): { ok: true; question: Omit<QuestionDoc, 'key'>; warnings: string[] } | { ok: false; errors: FieldErrors } {
	const noExplanation = !(fields.explanation ?? '').trim();
	const parsed = parseQuestion(
		doc,
		noExplanation ? { ...fields, explanation: EXPLANATION_PLACEHOLDER } : fields,
		'new'
	);
	if (!parsed.ok) return parsed;
	const { key: _key, ...rest } = parsed.data;
	const question = noExplanation ? { ...rest, explanation: '' } : rest;
	const warnings = questionWarnings({ ...question, key: '' }, doc.quiz.shuffle_options);
	return { ok: true, question, warnings };
}

/**
 * Checks what a reader gave against the draft: every question by the form's rule, its lesson,
 * duplicates (of the bank, or earlier in the file), the bank's size. Problems keep their lines.
 */
export function checkAgainstDraft(doc: ModuleDoc, read: ParseResult, defaultLessonKey: string): StagedData {
	const lessonOf = lessonResolver(doc, defaultLessonKey);
	const inBank = new Map(doc.questions.map((q, i) => [stemKey(q.type, q.stem), i + 1]));
	const inFile = new Map<string, number>();
	const problems: SourceProblem[] = [...read.problems];
	const questions: StagedQuestion[] = [];
	let room = Math.max(0, LIMITS.questions - doc.questions.length);
	let overLimit = 0;
	for (const q of read.questions) {
		const problem = (message: string) =>
			problems.push({ line: q.line, excerpt: excerpt(q.stem), message, skipped: false });
		if (q.options.length > OPTION_LETTERS.length) {
			problem(`选项超过 ${OPTION_LETTERS.length} 个（最多 A–${OPTION_LETTERS.at(-1)}）`);
			continue;
		}
		const lessonKey = lessonOf(q.lesson);
		if (lessonKey === null) {
			problem(
				`找不到课时《${q.lesson.trim()}》：请填写本模块已有课时的标题（或“第 N 课”），或留空使用默认课时`
			);
			continue;
		}
		const checked = checkQuestion(doc, sourceFields(q, lessonKey));
		if (!checked.ok) {
			problem(problemMessage(checked.errors));
			continue;
		}
		const key = stemKey(q.type, checked.question.stem);
		const existing = inBank.get(key);
		if (existing !== undefined) {
			problem(`与题库中已有的第 ${existing} 题重复（题型和题干相同），未导入`);
			continue;
		}
		const earlier = inFile.get(key);
		if (earlier !== undefined) {
			problem(`与第 ${earlier} 行的题目重复（题型和题干相同），未导入`);
			continue;
		}
		inFile.set(key, q.line);
		if (room === 0) {
			overLimit++;
			continue;
		}
		room--;
		questions.push({ line: q.line, question: checked.question, warnings: checked.warnings });
	}
	problems.sort((a, b) => a.line - b.line);
	return { questions, problems, overLimit };
}

// ---------------------------------------------------------------- staging

function sourceError(input: ImportInput, message: string): { ok: false; errors: FieldErrors } {
	return { ok: false, errors: { [input.kind === 'file' ? 'file' : 'text']: message } };
}

/**
 * Reads a source and checks it against the author's draft, then keeps the result for the preview
 * (a random token). Nothing in the draft changes. Refused: a draft out of scope or awaiting
 * review, a draft without lessons, an unreadable source or one in which nothing was recognised
 * (the message says what the reader expected), each beside its field.
 */
export async function stageImport(
	db: Db,
	actor: AuditActor,
	draftId: number,
	input: ImportInput,
	options: StageOptions = {}
): Promise<Result<{ token: string }>> {
	const owner = actorOwner(actor);
	const row = ownedDraft(db, owner, draftId);
	if (!row) return formError(NOT_FOUND);
	if (row.status === 'submitted') return formError(UNDER_REVIEW);
	const doc = docOf(row);
	if (doc.lessons.length === 0) return formError(NO_LESSONS);
	const choice = options.format ?? 'auto';
	if (!FORMAT_CHOICES.includes(choice)) return { ok: false, errors: { format: '请选择文件格式' } };
	const lessonKey = options.lessonKey ?? '';
	if (lessonKey && !doc.lessons.some((l) => l.key === lessonKey))
		return { ok: false, errors: { lessonKey: '所选课时不存在，请重新选择' } };
	if (input.kind === 'text' && !input.text.trim()) return sourceError(input, '请粘贴题目文字，或上传文件');
	let read: { format: ImportFormat; result: ParseResult };
	try {
		read = await readSource(input, choice);
	} catch (e) {
		if (e instanceof ImportError) return sourceError(input, e.message);
		throw e;
	}
	const { questions, problems } = read.result;
	if (questions.length === 0 && problems.length === 0) return sourceError(input, EXPECTED[read.format]);
	const data = checkAgainstDraft(doc, read.result, lessonKey || doc.lessons[0]!.key);
	// 24 characters of base32: the shape src/params/token.ts lets into the preview's address.
	const token = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(15)));
	const now = new Date();
	const fileName = input.kind === 'file' ? input.fileName.trim().slice(0, 200) : '粘贴的文字';
	db.transaction((tx) => {
		tx.delete(questionImports)
			.where(lt(questionImports.createdAt, new Date(now.getTime() - STAGED_LIFETIME_MS)))
			.run();
		tx.insert(questionImports)
			.values({
				id: token,
				draftId: row.id,
				createdBy: actor.id,
				fileName,
				format: read.format,
				data: JSON.stringify(data),
				createdAt: now
			})
			.run();
	});
	return { ok: true, token };
}

/** The staged row of this author, for this draft (another author's token is simply absent). */
function stagedRow(db: Queryable, userId: number, draftId: number, token: string) {
	if (!/^[a-z2-7]{24}$/.test(token)) return undefined;
	return db
		.select()
		.from(questionImports)
		.where(
			and(
				eq(questionImports.id, token),
				eq(questionImports.draftId, draftId),
				eq(questionImports.createdBy, userId)
			)
		)
		.get();
}

const isShow = (v: string): v is PreviewShow => (PREVIEW_SHOWS as readonly string[]).includes(v);

/**
 * The preview of a staged import, one page of its items in source order: every ready question
 * (as learners will see it, with its key, lesson and warnings) and every problem with its line.
 * null: no such import for this author and draft (missing, imported, discarded, expired).
 */
export function importPreview(
	db: Queryable,
	user: AuthorUser,
	draftId: number,
	token: string,
	view: { show?: string; page?: number } = {}
): ImportPreview | null {
	const row = ownedDraft(db, authorOwner(user), draftId);
	const staged = row && stagedRow(db, user.id, draftId, token);
	if (!row || !staged) return null;
	const doc = docOf(row);
	const data = JSON.parse(staged.data) as StagedData;
	const titles = new Map(doc.lessons.map((l, i) => [l.key, `第 ${i + 1} 课 ${l.title}`]));
	const show = isShow(view.show ?? '') ? (view.show as PreviewShow) : 'all';
	const ready: PreviewItem[] = data.questions.map(({ line, question, warnings }) => ({
		kind: 'question',
		line,
		warnings,
		...question,
		typeLabel: TYPE_LABELS[question.type],
		lessonTitle: titles.get(question.lessonKey) ?? '（课时已删除）'
	}));
	const problems: PreviewItem[] = data.problems.map((p) => ({ kind: 'problem', ...p }));
	const list =
		show === 'ready'
			? ready
			: show === 'problems'
				? problems
				: [...ready, ...problems].sort((a, b) => a.line - b.line);
	const pages = Math.max(1, Math.ceil(list.length / PREVIEW_PAGE_SIZE));
	const page = Math.min(Math.max(1, Math.floor(view.page ?? 1) || 1), pages);
	const format = (IMPORT_FORMATS as readonly string[]).includes(staged.format)
		? (staged.format as ImportFormat)
		: 'text';
	return {
		token: staged.id,
		draftId,
		fileName: staged.fileName,
		format,
		formatLabel: FORMAT_LABELS[format],
		createdAt: staged.createdAt,
		ready: data.questions.length,
		problems: data.problems.filter((p) => !p.skipped).length,
		skipped: data.problems.filter((p) => p.skipped).length,
		overLimit: data.overLimit,
		show,
		page,
		pages,
		total: list.length,
		items: list.slice((page - 1) * PREVIEW_PAGE_SIZE, page * PREVIEW_PAGE_SIZE)
	};
}

export const CHANGED_SINCE_PREVIEW = '题库或课时在预览之后有了变化';

/**
 * Adds the staged import's ready questions to the draft with new keys, in one transaction with its
 * audit row, and removes the staged row. `expected`: the count the author confirmed (导入 N 道题目).
 * Everything is checked again against the draft as it is now (a question added meanwhile, a lesson
 * removed, the draft submitted): any difference refuses the whole import and writes nothing.
 */
export function confirmImport(
	db: Db,
	actor: AuditActor,
	draftId: number,
	token: string,
	expected: number
): Result<{ imported: number }> {
	return editDraft(db, actor, draftId, ({ tx, doc, newQuestionKey }): EditOutcome<{ imported: number }> => {
		const staged = stagedRow(tx, actor.id, draftId, token);
		if (!staged) return formError(IMPORT_NOT_FOUND);
		const data = JSON.parse(staged.data) as StagedData;
		if (data.questions.length === 0) return formError('没有可以导入的题目：请修改文件后重新上传');
		if (data.questions.length !== expected)
			return formError(`要导入的题目数与预览不一致，请刷新预览后再确认`);
		if (doc.questions.length + data.questions.length > LIMITS.questions)
			return formError(
				`${CHANGED_SINCE_PREVIEW}：导入后题库将超过 ${LIMITS.questions} 道题，没有导入任何题目。请重新上传预览。`
			);
		const seen = new Set(doc.questions.map((q) => stemKey(q.type, q.stem)));
		for (const { line, question } of data.questions) {
			const fields = questionFields({ ...question, key: 'new' });
			const checked = checkQuestion(doc, fields);
			const key = stemKey(question.type, question.stem);
			const why = !checked.ok
				? problemMessage(checked.errors)
				: seen.has(key)
					? '与题库中已有的题目重复'
					: null;
			if (why)
				return formError(
					`${CHANGED_SINCE_PREVIEW}（第 ${line} 行：${why}），没有导入任何题目。请重新上传预览。`
				);
			seen.add(key);
		}
		for (const { question } of data.questions) doc.questions.push({ key: newQuestionKey(), ...question });
		tx.delete(questionImports).where(eq(questionImports.id, staged.id)).run();
		const n = data.questions.length;
		return {
			ok: true,
			value: { imported: n },
			summary: `导入了 ${n} 道题目（来源：${staged.fileName}，${FORMAT_LABELS[staged.format as ImportFormat] ?? staged.format}）（模块《${doc.title}》）`
		};
	});
}

/** 放弃: removes the author's staged import (nothing else was ever written). false: no such import. */
export function discardImport(db: Db, actor: AuditActor, draftId: number, token: string): boolean {
	const row = ownedDraft(db, actorOwner(actor), draftId);
	const staged = row && stagedRow(db, actor.id, draftId, token);
	if (!staged) return false;
	db.delete(questionImports).where(eq(questionImports.id, staged.id)).run();
	return true;
}
