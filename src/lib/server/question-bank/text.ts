import type { QuestionType } from '../db/schema';
import { BLANK } from '../content/pack';
import { ESSAY_LIMITS } from '../../lesson-editor';
import { difficultyOf } from './difficulty';
import { parseLength, parseRubric, RUBRIC_EXAMPLE } from './essay';
import { ImportError } from './errors';
import { IMPORT_LIMITS, type ParseResult, type SourceQuestion } from './types';

/*
 * Question documents in the layout Chinese exam papers use (pasted text, .txt, and the
 * paragraphs of a Word document, see docx.ts):
 *
 *   一、单项选择题（每题2分）
 *   1. 中国式现代化是（B）的现代化。        ← the answer in the stem's brackets, or on an 答案 line
 *   A. 少数人    B. 人口规模巨大            ← options on their own lines or several on one
 *   C. ……        D. ……
 *   答案：B      难度：易                   ← 答案/解析/难度/出处/课时 lines, or 【答案】 markers
 *   解析：……（as many lines as it takes, up to the next question）
 *
 * Markers are recognised on a copy of each line with full-width letters, digits and ASCII
 * punctuation made half-width (Ａ．→ A.,（1）→ (1)); that copy has the same length as the line,
 * so the texts kept are cut from the line as written. Kept texts get their full-width letters
 * and digits made half-width and their runs of spaces made one; their punctuation stays as the
 * author wrote it. Blanks become ____ in fill-in stems and （\u3000） in choice stems.
 *
 * 简答 (essay) questions, under a 简答题 / 问答题 / 论述题 heading or tagged 【简答题】:
 *
 *   五、简答题
 *   1. 简述人大代表的主要职责。
 *   参考答案：……（as many lines as it takes, numbered lists included）
 *   采分点：要点一（3分）；要点二（2分）     ← or one point a line below 采分点：
 *   字数上限：300                             ← optional (500)
 *   解析：……                                  ← optional
 *
 * A question that cannot be read correctly becomes a problem (its first line, an excerpt, a
 * Chinese message), never half a question; a 名词解释/案例分析… section's questions are problems
 * marked skipped. Only the whole source being too large throws (ImportError).
 */

/** A line of the source: its number for messages, and for Word's automatic numbering what it starts. */
export interface SourceLine {
	/** 1-based line (or paragraph) number. */
	no: number;
	text: string;
	/** Set by docx.ts for paragraphs numbered by Word: a question, or the question's next option. */
	start?: 'question' | 'option';
}

/** Reads pasted text (or a .txt file) in the exam-paper layout; `maxChars` bounds the text. */
export function parseText(text: string, maxChars: number = IMPORT_LIMITS.pastedChars): ParseResult {
	if (text.length > maxChars)
		throw new ImportError(`文字超过 ${maxChars.toLocaleString('zh-CN')} 字：请分成几次导入`);
	const lines = text
		.replace(/^\uFEFF/, '')
		.split(/\r\n|\r|\n|\u2028|\u2029/)
		.map((t, i) => ({ no: i + 1, text: t }));
	return parseLines(lines);
}

// ---------------------------------------------------------------------------------------------
// Normalisation

/** Full-width ASCII (Ａ１．（：) to half-width and the ideographic space to a space: same length. */
export function toHalf(s: string): string {
	return s.replace(/[\uFF01-\uFF5E\u3000]/g, (c) =>
		c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)
	);
}

const FULL_WIDTH_ALNUM = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g;
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

/** A kept text: full-width letters and digits half-width, invisible characters gone, spaces one. */
function clean(s: string): string {
	return s
		.replace(INVISIBLE, '')
		.replace(FULL_WIDTH_ALNUM, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
		.replace(/\s+/g, ' ')
		.trim();
}

/** Letters of an answer (`A、C`, `ａｃ`, `A,C`) as one upper-case string, or null if it is not only letters. */
function lettersOf(s: string): string | null {
	const compact = toHalf(s)
		.replace(/[\s,，、;；.。]/g, '')
		.toUpperCase();
	return /^[A-H]+$/.test(compact) ? compact : null;
}

const TRUE_WORDS = new Set([
	'对',
	'正确',
	'√',
	'✓',
	'✔',
	'☑',
	'T',
	'TRUE',
	'是',
	'Y',
	'YES',
	'对的',
	'正确的'
]);
const FALSE_WORDS = new Set([
	'错',
	'错误',
	'×',
	'✗',
	'✘',
	'╳',
	'X',
	'F',
	'FALSE',
	'否',
	'N',
	'NO',
	'错的',
	'错误的'
]);

/** A true/false answer as written (对/错/√/×/正确/错误/T/F/是/否), or null. */
export function truthOf(s: string): boolean | null {
	const word = toHalf(s)
		.replace(/[\s。.]/g, '')
		.toUpperCase();
	if (TRUE_WORDS.has(word)) return true;
	if (FALSE_WORDS.has(word)) return false;
	return null;
}

// ---------------------------------------------------------------------------------------------
// Headings and type tags

interface Section {
	/** The type the heading sets; null: inferred per question (选择题, 不定项选择题, no heading). */
	type: QuestionType | null;
	/** A type this product does not have (简答题…): its name, for the skipped message. */
	skip: string | null;
}

const KINDS: [string, Section][] = [
	['不定项选择题', { type: null, skip: null }],
	['不定项选择', { type: null, skip: null }],
	['单项选择题', { type: 'single', skip: null }],
	['单项选择', { type: 'single', skip: null }],
	['单选题', { type: 'single', skip: null }],
	['单选', { type: 'single', skip: null }],
	['多项选择题', { type: 'multiple', skip: null }],
	['多项选择', { type: 'multiple', skip: null }],
	['多选题', { type: 'multiple', skip: null }],
	['多选', { type: 'multiple', skip: null }],
	['选择题', { type: null, skip: null }],
	['判断正误题', { type: 'truefalse', skip: null }],
	['判断正误', { type: 'truefalse', skip: null }],
	['判断题', { type: 'truefalse', skip: null }],
	['是非题', { type: 'truefalse', skip: null }],
	['判断', { type: 'truefalse', skip: null }],
	['填空题', { type: 'fill', skip: null }],
	['填空', { type: 'fill', skip: null }],
	['简答题', { type: 'essay', skip: null }],
	['简述题', { type: 'essay', skip: null }],
	['简答', { type: 'essay', skip: null }],
	['论述题', { type: 'essay', skip: null }],
	['论述', { type: 'essay', skip: null }],
	['名词解释', { type: null, skip: '名词解释' }],
	['问答题', { type: 'essay', skip: null }],
	['案例分析题', { type: null, skip: '案例分析题' }],
	['案例分析', { type: null, skip: '案例分析题' }],
	['材料分析题', { type: null, skip: '材料分析题' }],
	['辨析题', { type: null, skip: '辨析题' }],
	['分析题', { type: null, skip: '分析题' }],
	['综合题', { type: null, skip: '综合题' }],
	['主观题', { type: null, skip: '主观题' }],
	['计算题', { type: null, skip: '计算题' }],
	['作文', { type: null, skip: '作文' }]
];
const KIND_OF = new Map(KINDS);
const KIND_WORDS = KINDS.map(([w]) => w).join('|');

const CN_NUMBER = '[一二三四五六七八九十]+';
// On the half-width copy: 一、 一. (一) 第一部分 第一大题 Ⅰ.
const HEADING_PREFIX = `(?:${CN_NUMBER}\\s*[、.]|\\(${CN_NUMBER}\\)|第${CN_NUMBER}(?:部分|大题|题|节)?[、.:]?|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+\\s*[、.])`;
const HEADING = new RegExp(`^(${HEADING_PREFIX})?\\s*(${KIND_WORDS})(.*)$`);
const OTHER_HEADING = new RegExp(`^${HEADING_PREFIX}\\s*\\S.{0,20}题\\s*(?:[(:【].*)?$`);
const TYPE_TAG = new RegExp(`^[【\\[(<〔]\\s*(${KIND_WORDS})\\s*[】\\])>〕]\\s*`);

/** The section a heading line starts (on the half-width, trimmed line), or null. */
export function headingOf(n: string): Section | null {
	const m = HEADING.exec(n);
	if (m) {
		const rest = m[3]!.trim();
		// 一、单选题（每题2分） 一、单项选择题：下列…; without a number only 单选题 (…) or 单选题：
		if (rest === '' || /^[(【[:]/.test(rest) || (m[1] && /^[\s,，。;；]/.test(m[3]!)))
			return KIND_OF.get(m[2]!)!;
	}
	// 三、综合练习题: a numbered heading of a kind not known, after which types are inferred.
	if (OTHER_HEADING.test(n) && !/[(（][^)）]*[A-H√×对错][^)）]*[)）]/.test(n))
		return { type: null, skip: null };
	return null;
}

// ---------------------------------------------------------------------------------------------
// Question numbers, options, field markers (all on the half-width copy)

interface QuestionNumber {
	number: number;
	/** How it was written: 1. / 1、 / (1) / 1) / 第1题 / Word's numbering. */
	style: string;
	/** Where the text after it starts. */
	end: number;
}

const QUESTION_NUMBER =
	/^(?:第\s*(\d{1,5})\s*题\s*[.、:]?|\((\d{1,5})\)|(\d{1,5})\s*(?:(\.)(?![\d])|(、)|(\)))|(\d{1,5})\s+(?=[(（【[]))\s*/;

/** 1.2022年…: a number followed by a digit, taken as a question number only where one is due. */
const NUMBER_BEFORE_DIGIT = /^(\d{1,5})\.(?=\d)/;

/** The question number a (trimmed, half-width) line starts with, or null. */
export function questionNumberOf(n: string): QuestionNumber | null {
	const m = QUESTION_NUMBER.exec(n);
	if (!m) return null;
	const [, ti, paren, plain, dot, comma, close, spaced] = m;
	const number = Number(ti ?? paren ?? plain ?? spaced);
	const style = ti ? 'ti' : paren ? 'paren' : dot ? 'dot' : comma ? 'comma' : close ? 'close' : 'space';
	return { number, style, end: m[0].length };
}

const OPTION_START = /^(?:\(([A-H])\)|([A-H])\s*[.、:)])\s*/;
const OPTION_ANYWHERE = /\(([A-H])\)|([A-H])\s*[.、:)]/g;

/** The option letter a (trimmed, half-width) line starts with, or null. */
export function optionLetterOf(n: string): string | null {
	const m = OPTION_START.exec(n);
	return m ? (m[1] ?? m[2])! : null;
}

interface OptionPart {
	letter: string;
	text: string;
}

/**
 * Options written one after another on a line (`A.甲  B.乙  C.丙`), each found as the next
 * letter; with `from` 'A' the options must start with A and reach B (a stem line with its
 * options behind it). Returns the text before the first option and the options, or null.
 */
function splitOptions(
	raw: string,
	n: string,
	mustStartWithA: boolean
): { before: string; options: OptionPart[] } | null {
	const found: { at: number; end: number; letter: string; strong: boolean }[] = [];
	OPTION_ANYWHERE.lastIndex = 0;
	for (let m = OPTION_ANYWHERE.exec(n); m; m = OPTION_ANYWHERE.exec(n)) {
		const prev = m.index === 0 ? '' : n[m.index - 1]!;
		const strong = prev === '' || /\s/.test(prev);
		// (B) only after a space; B. not inside a word, a number or the answer's brackets.
		if (m[1] ? !strong : /[A-Za-z0-9_([/\\.\-+]/.test(prev)) continue;
		found.push({ at: m.index, end: m.index + m[0].length, letter: (m[1] ?? m[2])!, strong });
	}
	if (found.length === 0) return null;
	const picked: typeof found = [];
	let expected: string;
	if (mustStartWithA) {
		const a = found.find((f) => f.letter === 'A');
		if (!a) return null;
		picked.push(a);
	} else {
		if (found[0]!.at !== 0) return null;
		picked.push(found[0]!);
	}
	for (;;) {
		const last = picked[picked.length - 1]!;
		expected = String.fromCharCode(last.letter.charCodeAt(0) + 1);
		const later = found.filter((f) => f.at >= last.end && f.letter === expected);
		const next = later.find((f) => f.strong) ?? later[0];
		if (!next) break;
		picked.push(next);
	}
	if (mustStartWithA && picked.length < 2) return null;
	const options = picked.map((p, i) => ({
		letter: p.letter,
		text: raw.slice(p.end, picked[i + 1]?.at ?? raw.length)
	}));
	return { before: raw.slice(0, picked[0]!.at), options };
}

type Field = 'answer' | 'explanation' | 'difficulty' | 'lesson' | 'sourceRef' | 'rubric' | 'maxLength';

const FIELD_OF: Record<string, Field> = {
	参考答案: 'answer',
	正确答案: 'answer',
	标准答案: 'answer',
	答案: 'answer',
	答: 'answer',
	答案解析: 'explanation',
	试题解析: 'explanation',
	题目解析: 'explanation',
	解析: 'explanation',
	难度: 'difficulty',
	对应课时: 'lesson',
	所属课时: 'lesson',
	课时: 'lesson',
	原文出处: 'sourceRef',
	出处: 'sourceRef',
	来源: 'sourceRef',
	采分点: 'rubric',
	评分要点: 'rubric',
	得分点: 'rubric',
	字数上限: 'maxLength',
	字数限制: 'maxLength'
};
const FIELD_WORDS =
	'参考答案|正确答案|标准答案|答案解析|试题解析|题目解析|答案|解析|难度|对应课时|所属课时|课时|原文出处|出处|来源|采分点|评分要点|得分点|字数上限|字数限制';
// 【答案】 anywhere; 答案： at the start of a line or after a space or a punctuation mark; 答： and
// 答案 B only at the start.
const MARKER = new RegExp(`【\\s*(${FIELD_WORDS})\\s*】\\s*:?|(?<=[\\s。;,!?)])(${FIELD_WORDS})\\s*:`, 'g');
const LINE_MARKER = new RegExp(`^(?:(${FIELD_WORDS}|答)\\s*:|(${FIELD_WORDS})\\s+(?=\\S))\\s*`);

/** A line cut at its field markers: the text before the first marker, then each field's text. */
function segments(
	raw: string,
	n: string
): { body: [string, string]; fields: { field: Field; text: string }[] } {
	const marks: { at: number; end: number; field: Field }[] = [];
	const lead = n.length - n.trimStart().length;
	const first = LINE_MARKER.exec(n.slice(lead));
	if (first) marks.push({ at: lead, end: lead + first[0].length, field: FIELD_OF[(first[1] ?? first[2])!]! });
	MARKER.lastIndex = 0;
	for (let m = MARKER.exec(n); m; m = MARKER.exec(n)) {
		if (marks.length && m.index < marks[marks.length - 1]!.end) continue;
		marks.push({ at: m.index, end: m.index + m[0].length, field: FIELD_OF[(m[1] ?? m[2])!]! });
	}
	const bodyEnd = marks[0]?.at ?? raw.length;
	return {
		body: [raw.slice(0, bodyEnd), n.slice(0, bodyEnd)],
		fields: marks.map((m, i) => ({ field: m.field, text: raw.slice(m.end, marks[i + 1]?.at ?? raw.length) }))
	};
}

// ---------------------------------------------------------------------------------------------
// Reading lines into drafts

type State = 'stem' | 'options' | Field;

interface Draft {
	line: number;
	excerpt: string;
	/** Started by a question number (or Word's numbering), not just by its layout. */
	numbered: boolean;
	number: QuestionNumber | null;
	section: Section;
	/** A type tag in the question itself (1.【多选题】…). */
	tag: Section | null;
	stem: string[];
	/** A stem line has an answer in brackets (（B）, （√）): an unnumbered question is complete. */
	stemAnswered: boolean;
	options: { letter: string; text: string[] }[];
	/** The 答案 text (null: no 答案 line). */
	answer: string[] | null;
	/** The last numbered line read as part of the explanation (its own list). */
	innerList: QuestionNumber | null;
	/** A second 答案 line: two questions ran together (a missing number). */
	twoAnswers: boolean;
	explanation: string[];
	difficulty: string | null;
	lesson: string | null;
	sourceRef: string | null;
	/** 简答: the 采分点 lines (null: none). */
	rubric: string[] | null;
	/** 简答: the 字数上限 text. */
	maxLength: string | null;
	state: State;
	/** The last field was given with no text yet (答案：\nB). */
	pending: boolean;
}

/** Reads lines in the exam-paper layout (text.ts's own reader, and docx.ts's paragraphs). */
export function parseLines(lines: SourceLine[]): ParseResult {
	const out: ParseResult = { questions: [], problems: [] };
	const halves = lines.map((l) => toHalf(l.text));
	const numberedDocument = lines.some(
		(l, i) => l.start === 'question' || questionNumberOf(halves[i]!.trim()) !== null
	);
	let section: Section = { type: null, skip: null };
	let inSection = 0;
	let started = 0;
	let current: Draft | null = null;

	const finish = () => {
		if (current) finishDraft(current, out, inSection === 1);
		current = null;
	};
	const begin = (no: number, excerpt: string, number: QuestionNumber | null, numbered: boolean): Draft => {
		finish();
		if (++started > IMPORT_LIMITS.questions)
			throw new ImportError(
				`题目超过 ${IMPORT_LIMITS.questions.toLocaleString('zh-CN')} 道：请分成几个文件导入`
			);
		inSection++;
		current = {
			line: no,
			excerpt: excerpt.replace(INVISIBLE, '').trim().slice(0, 60),
			numbered,
			number,
			section,
			tag: null,
			stem: [],
			stemAnswered: false,
			options: [],
			answer: null,
			innerList: null,
			twoAnswers: false,
			explanation: [],
			difficulty: null,
			lesson: null,
			sourceRef: null,
			rubric: null,
			maxLength: null,
			state: 'stem',
			pending: false
		};
		return current;
	};
	/** The next line with text, half-width and trimmed ('' at the end). */
	const nextLine = (i: number): { n: string; start?: SourceLine['start'] } => {
		for (let j = i + 1; j < lines.length; j++) {
			const n = halves[j]!.trim();
			if (n) return { n, start: lines[j]!.start };
		}
		return { n: '' };
	};
	const nextStartsOptions = (i: number) => {
		const next = nextLine(i);
		return next.start === 'option' || optionLetterOf(next.n) === 'A';
	};

	for (let i = 0; i < lines.length; i++) {
		const { no, text, start } = lines[i]!;
		const half = halves[i]!;
		const trimmed = half.trim();
		if (!trimmed) continue;
		if (!start) {
			const heading = headingOf(trimmed);
			if (heading) {
				finish();
				section = heading;
				inSection = 0;
				continue;
			}
		}
		const { body, fields } = segments(text, half);
		const lead = body[1].length - body[1].trimStart().length;
		const raw = body[0].slice(lead).trimEnd();
		const n = body[1].slice(lead).trimEnd();
		// (`current` changes inside begin/finish, which TypeScript's narrowing does not see.)
		let q = current as Draft | null;

		if (n) {
			let number = start === 'option' ? null : questionNumberOf(n);
			const due = NUMBER_BEFORE_DIGIT.exec(n);
			if (!number && due && !start) {
				const value = Number(due[1]);
				if (value === (q?.number?.number ?? 0) + 1 || (!q && value === 1))
					number = { number: value, style: 'dot', end: due[0].length };
			}
			const letter = start === 'option' ? null : optionLetterOf(n);
			if (start === 'question' || (number && !(q && continuesExplanation(q, number)))) {
				const wordNumber: QuestionNumber | null =
					start === 'question'
						? { number: q?.number?.style === 'word' ? q.number.number + 1 : 1, style: 'word', end: 0 }
						: number;
				q = begin(no, text.trim(), wordNumber, true);
				stemLine(q, raw.slice(wordNumber!.end), n.slice(wordNumber!.end), true);
			} else if (start === 'option' || letter) {
				if (!q || (letter === 'A' && q.options.some((o) => o.letter === 'A')))
					q = begin(no, text.trim(), null, false);
				if (start === 'option') {
					const l = String.fromCharCode(65 + q.options.length);
					q.options.push({ letter: l, text: [raw] });
				} else {
					for (const o of splitOptions(raw, n, false)?.options ?? [])
						q.options.push({ letter: o.letter, text: [o.text] });
				}
				q.state = 'options';
				q.pending = false;
			} else if (!q) {
				// Before the first question (or a section's): a title or a note, unless it reads as a question.
				if (!numberedDocument || hasBracketAnswer(clean(raw)) || nextStartsOptions(i)) {
					q = begin(no, text.trim(), null, false);
					stemLine(q, raw, n, true);
				}
			} else if (q.options.length > 0 && nextStartsOptions(i)) {
				q = begin(no, text.trim(), null, false);
				stemLine(q, raw, n, true);
			} else if (!q.numbered && startsUnnumbered(q, n, i)) {
				q = begin(no, text.trim(), null, false);
				stemLine(q, raw, n, true);
			} else {
				continueDraft(q, raw, n);
			}
		}
		for (const { field, text: value } of fields) {
			if (!q) break;
			setField(q, field, value);
		}
	}
	finish();
	return out;

	/** An unnumbered question ends where a plain line reads as the next one's stem. */
	function startsUnnumbered(q: Draft, n: string, i: number): boolean {
		const next = nextLine(i).n;
		const parts = segments(next, next);
		const nextIsAnswer = parts.body[1].trim() === '' && parts.fields[0]?.field === 'answer';
		const answered = q.answer !== null || q.stemAnswered;
		switch (q.state) {
			case 'stem':
			case 'options':
				return answered;
			case 'explanation':
				return nextIsAnswer || hasBracketAnswer(n);
			default:
				return !q.pending && answered;
		}
	}
}

/**
 * Inside an explanation (or a skipped question's answer), a numbered line is the explanation's
 * own list (1. … 2. …, （1）…) unless it reads as the next question: the question's number plus
 * one, or a later number written the same way as the question's.
 */
function continuesExplanation(q: Draft, number: QuestionNumber): boolean {
	const inAnswerText =
		q.state === 'explanation' ||
		(q.section.skip !== null && q.state === 'answer') ||
		(isEssay(q) && (q.state === 'answer' || q.state === 'rubric'));
	if (!inAnswerText || !q.number) return false;
	const inner = q.innerList;
	const listGoesOn = inner !== null && number.style === inner.style && number.number === inner.number + 1;
	const nextQuestion =
		number.number === q.number.number + 1 ||
		(number.style === q.number.style && number.number > q.number.number);
	if (!listGoesOn && nextQuestion) return false;
	q.innerList = number;
	return true;
}

/** The first line of a question (after its number): a type tag, a score, inline options. */
function stemLine(q: Draft, raw: string, n: string, first: boolean): void {
	if (first) {
		const tag = TYPE_TAG.exec(n);
		if (tag) {
			q.tag = KIND_OF.get(tag[1]!)!;
			raw = raw.slice(tag[0].length);
			n = n.slice(tag[0].length);
		}
		const score = /^\(\s*\d+(?:\.\d+)?\s*分\s*\)\s*/.exec(n);
		if (score) {
			raw = raw.slice(score[0].length);
			n = n.slice(score[0].length);
		}
	}
	const inline = splitOptions(raw, n, true);
	if (inline) {
		if (inline.before.trim()) addStem(q, inline.before);
		for (const o of inline.options) q.options.push({ letter: o.letter, text: [o.text] });
		q.state = 'options';
	} else if (raw.trim()) addStem(q, raw);
}

function addStem(q: Draft, raw: string): void {
	q.stem.push(raw);
	// Checked line by line: joining a long stem on every line would cost its length squared.
	if (!q.stemAnswered) q.stemAnswered = hasBracketAnswer(clean(raw));
}

/** Whether the draft is a 简答 by its section or its own tag. */
function isEssay(q: Draft): boolean {
	return (q.tag ?? q.section).type === 'essay';
}

/** A plain line inside a question: more of whatever the question was at. */
function continueDraft(q: Draft, raw: string, n: string): void {
	// A 简答's reference answer and rubric go on over several lines, up to the next marker.
	if (isEssay(q) && q.state === 'answer') {
		q.answer!.push(raw);
		q.pending = false;
		return;
	}
	if (isEssay(q) && q.state === 'rubric') {
		q.rubric!.push(raw);
		q.pending = false;
		return;
	}
	switch (q.state) {
		case 'stem':
			stemLine(q, raw, n, false);
			return;
		case 'options':
			q.options[q.options.length - 1]!.text.push(raw);
			return;
		case 'answer':
			if (q.pending) {
				q.answer!.push(raw);
				q.pending = false;
				return;
			}
			q.state = 'explanation';
			q.explanation.push(raw);
			return;
		case 'explanation':
			q.explanation.push(raw);
			return;
		default:
			if (q.pending) {
				setField(q, q.state, raw);
				return;
			}
			q.state = 'explanation';
			q.explanation.push(raw);
	}
}

function setField(q: Draft, field: Field, value: string): void {
	const text = value.trim();
	q.state = field;
	q.pending = text === '';
	switch (field) {
		case 'answer':
			if (q.answer !== null && q.answer.join('').trim() !== '') q.twoAnswers = true;
			q.answer = text ? [text] : [];
			return;
		case 'explanation':
			if (text) q.explanation.push(text);
			return;
		case 'rubric':
			q.rubric = [...(q.rubric ?? []), ...(text ? [text] : [])];
			return;
		default:
			if (text) q[field] = text;
	}
}

// ---------------------------------------------------------------------------------------------
// Finishing a question

interface Bracket {
	at: number;
	end: number;
	/** The content, cleaned. */
	content: string;
}

const BRACKET = /[（(]([^（）()]*)[）)]/g;
const UNDERSCORES = /[_＿]{2,}/g;
const EDGE_AFTER = /^[\s。．.！!？?；;，,]*$/;

function bracketsOf(stem: string): Bracket[] {
	const out: Bracket[] = [];
	BRACKET.lastIndex = 0;
	for (let m = BRACKET.exec(stem); m; m = BRACKET.exec(stem))
		out.push({ at: m.index, end: m.index + m[0].length, content: clean(m[1]!) });
	return out;
}

/** The bracket at the stem's start or end (where a 判断 answer is written), if any. */
function edgeBracket(stem: string, brackets: Bracket[]): Bracket | null {
	const last = brackets[brackets.length - 1];
	if (last && EDGE_AFTER.test(stem.slice(last.end))) return last;
	const first = brackets[0];
	if (first && stem.slice(0, first.at).trim() === '') return first;
	return null;
}

function hasBracketAnswer(stem: string): boolean {
	const brackets = bracketsOf(stem);
	const edge = edgeBracket(stem, brackets);
	return (
		brackets.some((b) => lettersOf(b.content) !== null) || (edge !== null && truthOf(edge.content) !== null)
	);
}

/** Replaces the given ranges of `stem` (in order) by what `by` gives for each. */
function replaceRanges(
	stem: string,
	ranges: { at: number; end: number }[],
	by: (i: number) => string
): string {
	let outText = '';
	let from = 0;
	ranges.forEach((r, i) => {
		outText += stem.slice(from, r.at) + by(i);
		from = r.end;
	});
	return (outText + stem.slice(from)).trim();
}

/** Options A–H. */
const MAX_OPTIONS = 8;
const CHOICE_BLANK = '（　）';

/** Per blank the accepted variants, from an 答案 line, for `count` blanks. */
function fillAnswers(text: string, count: number): string[][] {
	let parts: string[];
	if (/[；;]/.test(text)) parts = text.split(/[；;]/);
	else if (/[①-⑳]/.test(text)) parts = text.split(/[①-⑳]/);
	else if (count > 1 && /[(（]\d+[)）]/.test(text)) parts = text.split(/[(（]\d+[)）]/);
	else if (count > 1 && text.split(/[、，,]/).length === count) parts = text.split(/[、，,]/);
	else if (count > 1 && text.split(/\s+/).length === count) parts = text.split(/\s+/);
	else parts = [text];
	return parts
		.map((p) => p.replace(/^\s*(?:\d+[.、]|[(（]\d+[)）])\s*/, '').trim())
		.filter(Boolean)
		.map(variants);
}

function variants(blank: string): string[] {
	return [
		...new Set(
			blank
				.split(/[｜|/／]/)
				.map((v) => clean(v))
				.filter(Boolean)
		)
	];
}

function finishDraft(d: Draft, out: ParseResult, firstInSection: boolean): void {
	const kind = d.tag ?? d.section;
	if (kind.skip) {
		out.problems.push({
			line: d.line,
			excerpt: d.excerpt,
			message: `暂不支持${kind.skip}，已跳过`,
			skipped: true
		});
		return;
	}
	const result = readDraft(d, kind.type, firstInSection);
	if (result === null) return;
	if (typeof result === 'string')
		out.problems.push({ line: d.line, excerpt: d.excerpt, message: result, skipped: false });
	else out.questions.push(result);
}

/** The question, or why it cannot be imported; null for a stray unnumbered line (a title). */
function readDraft(
	d: Draft,
	declared: QuestionType | null,
	firstInSection: boolean
): SourceQuestion | string | null {
	let stem = d.stem.map(clean).filter(Boolean).join('\n');
	const options = d.options.map((o) => ({ letter: o.letter, text: clean(o.text.join(' ')) }));
	const answerText = d.answer === null ? null : clean(d.answer.join(' '));
	const brackets = bracketsOf(stem);
	const edge = edgeBracket(stem, brackets);
	const underscores = [...stem.matchAll(UNDERSCORES)].map((m) => ({
		at: m.index,
		end: m.index + m[0].length
	}));
	const empties = brackets.filter((b) => b.content === '');

	if (
		!d.numbered &&
		firstInSection &&
		declared !== 'fill' &&
		options.length === 0 &&
		answerText === null &&
		d.explanation.length === 0 &&
		underscores.length === 0 &&
		empties.length === 0 &&
		!hasBracketAnswer(stem)
	)
		return null;
	if (d.twoAnswers) return '这道题有两个答案行，可能是下一题缺少题号';
	// 采分点 make a question 简答 wherever it stands.
	if (declared === 'essay' || (declared === null && d.rubric !== null))
		return readEssay(d, stem, options.length);

	let type = declared;
	if (type === null) {
		const edgeTruth = edge ? truthOf(edge.content) : null;
		const letterBracket = brackets.find((b) => lettersOf(b.content) !== null);
		const noBlanks = underscores.length + empties.length === 0;
		if (options.length > 0) type = 'single';
		else if (answerText !== null ? truthOf(answerText) !== null : edgeTruth !== null) type = 'truefalse';
		else if (answerText !== null && lettersOf(answerText) && noBlanks)
			return `答案 ${lettersOf(answerText)} 没有对应的选项`;
		else if (answerText === null && letterBracket && noBlanks)
			return `答案 ${lettersOf(letterBracket.content)} 没有对应的选项`;
		else if (underscores.length + brackets.length > 0 || answerText !== null) type = 'fill';
		else return stem ? '没有找到答案' : '题干为空';
	}

	let answer: SourceQuestion['answer'];
	let outOptions: string[] = [];
	if (type === 'single' || type === 'multiple') {
		const choice = readChoice(stem, options, brackets, answerText, declared);
		if (typeof choice === 'string') return choice;
		({ stem, answer, type } = choice);
		outOptions = options.map((o) => o.text);
	} else if (type === 'truefalse') {
		let truth: boolean | null;
		if (options.length > 0) {
			// 判断 written as two options 正确/错误 with a letter answer.
			const truths = options.map((o) => truthOf(o.text));
			if (options.length !== 2 || truths.includes(null) || truths[0] === truths[1]) return '判断题不应有选项';
			const letters =
				answerText !== null ? lettersOf(answerText) : brackets.map((b) => lettersOf(b.content)).find(Boolean);
			if (!letters) return answerText !== null ? '判断题的答案应为对或错' : '没有找到答案';
			if (letters.length > 1 || letters > 'B') return '判断题的答案应为对或错';
			truth = truths[letters.charCodeAt(0) - 65]!;
			const letterBracket = brackets.find((b) => lettersOf(b.content));
			if (letterBracket) stem = replaceRanges(stem, [letterBracket], () => '');
		} else {
			if (answerText !== null) truth = answerText === '' ? null : truthOf(answerText);
			else truth = edge ? truthOf(edge.content) : null;
			if (truth === null) {
				// Something short where the answer goes (？, V, 不对) is a wrong answer; no answer else.
				const given = answerText !== null ? answerText : (edge?.content ?? '');
				return given !== '' && (answerText !== null || given.length <= 3)
					? '判断题的答案应为对或错'
					: '没有找到答案';
			}
			if (edge && (edge.content === '' || truthOf(edge.content) !== null))
				stem = replaceRanges(stem, [edge], () => '');
		}
		answer = truth;
	} else {
		if (options.length > 0) return '填空题不应有选项';
		let blanks: { at: number; end: number }[];
		let answers: string[][];
		if (answerText !== null) {
			blanks = [...underscores, ...empties].sort((a, b) => a.at - b.at);
			answers = answerText === '' ? [] : fillAnswers(answerText, blanks.length);
			if (answers.length === 0) return '没有找到答案';
		} else if (underscores.length + empties.length === 0 && brackets.length > 0) {
			blanks = brackets;
			answers = brackets.map((b) => variants(b.content));
		} else return '没有找到答案';
		if (blanks.length === 0) return '填空题空格数与答案数不一致：题干中没有空（用（\u3000）或 ____ 标出）';
		if (answers.length !== blanks.length || answers.some((a) => a.length === 0))
			return `填空题空格数与答案数不一致：题干中有 ${blanks.length} 个空，答案有 ${answers.length} 个`;
		stem = replaceRanges(stem, blanks, () => BLANK);
		answer = answers;
	}

	if (!stem.replaceAll(BLANK, '').replace(/[（）()\s]/g, '')) return '题干为空';
	let difficulty: 1 | 2 | 3 | null = null;
	if (d.difficulty !== null) {
		difficulty = difficultyOf(clean(d.difficulty));
		if (difficulty === null) return `难度应为易、中或难，而不是“${clean(d.difficulty).slice(0, 10)}”`;
	}
	const explanation = d.explanation.map(clean).filter(Boolean).join('\n');
	const lesson = clean(d.lesson ?? '');
	const sourceRef = clean(d.sourceRef ?? '');
	const max = IMPORT_LIMITS.cellChars;
	const tooLong = (what: string, s: string) => (s.length > max ? `${what}文字超过 ${max} 字` : null);
	const long =
		tooLong('题干', stem) ??
		outOptions.map((o, i) => tooLong(`选项 ${String.fromCharCode(65 + i)} `, o)).find(Boolean) ??
		tooLong('解析', explanation) ??
		tooLong('对应课时', lesson) ??
		tooLong('出处', sourceRef) ??
		(Array.isArray(answer) && answer.some((a) => Array.isArray(a) && a.some((v) => v.length > max))
			? `答案文字超过 ${max} 字`
			: null);
	if (long) return long;
	return {
		line: d.line,
		type,
		stem,
		options: outOptions,
		answer,
		explanation,
		difficulty,
		lesson,
		sourceRef
	};
}

/** A 简答: its reference answer (the 参考答案 lines), 采分点 and 字数上限, or why it cannot be read. */
function readEssay(d: Draft, stem: string, optionCount: number): SourceQuestion | string {
	if (optionCount > 0) return '简答题不应有选项';
	if (!stem.replace(/[（）()\s]/g, '')) return '题干为空';
	const reference = (d.answer ?? []).map(clean).filter(Boolean).join('\n');
	if (!reference) return '简答题没有找到参考答案：请另起一行写“参考答案：……”';
	if (d.rubric === null || !d.rubric.some((l) => l.trim()))
		return `简答题没有找到采分点：请另起一行写“采分点：${RUBRIC_EXAMPLE}”`;
	const rubric = parseRubric(d.rubric.map(clean).filter(Boolean).join('\n'));
	if ('problem' in rubric) return rubric.problem;
	const length = parseLength(clean(d.maxLength ?? ''));
	if ('problem' in length) return length.problem;
	let difficulty: 1 | 2 | 3 | null = null;
	if (d.difficulty !== null) {
		difficulty = difficultyOf(clean(d.difficulty));
		if (difficulty === null) return `难度应为易、中或难，而不是“${clean(d.difficulty).slice(0, 10)}”`;
	}
	const explanation = d.explanation.map(clean).filter(Boolean).join('\n');
	const lesson = clean(d.lesson ?? '');
	const sourceRef = clean(d.sourceRef ?? '');
	const max = IMPORT_LIMITS.cellChars;
	const long = (
		[
			['题干', stem],
			['参考答案', reference],
			['解析', explanation],
			['对应课时', lesson],
			['出处', sourceRef],
			...rubric.rubric.map((r, i) => [`第 ${i + 1} 个采分点`, r.point])
		] as [string, string][]
	).find(([, text]) => text.length > max);
	if (long) return `${long[0]}文字超过 ${max} 字`;
	return {
		line: d.line,
		type: 'essay',
		stem,
		options: [],
		answer: {
			reference,
			rubric: rubric.rubric,
			maxLength: length.maxLength ?? ESSAY_LIMITS.defaultLength
		},
		explanation,
		difficulty,
		lesson,
		sourceRef
	};
}

function readChoice(
	stem: string,
	options: { letter: string; text: string }[],
	brackets: Bracket[],
	answerText: string | null,
	declared: QuestionType | null
): { stem: string; answer: number | number[]; type: 'single' | 'multiple' } | string {
	if (options.length === 0) return '选择题没有找到选项（A. B. C. …）';
	if (options.length > MAX_OPTIONS) return `选项最多 ${MAX_OPTIONS} 个（A 到 H）`;
	for (let i = 0; i < options.length; i++) {
		const expected = String.fromCharCode(65 + i);
		if (options[i]!.letter !== expected)
			return options.slice(0, i).some((o) => o.letter === options[i]!.letter)
				? `选项 ${options[i]!.letter} 出现了两次`
				: `选项应按 A、B、C… 的顺序排列：缺少选项 ${expected}`;
		if (!options[i]!.text) return `选项 ${expected} 为空`;
	}
	if (options.length < 2) return '选择题至少要有两个选项';
	const letterBrackets = brackets.filter((b) => lettersOf(b.content) !== null);
	const inStem = letterBrackets.length ? letterBrackets.map((b) => lettersOf(b.content)).join('') : null;
	let letters: string | null;
	if (answerText !== null) {
		if (answerText === '') return '没有找到答案';
		// B, A、C, ACD, or the letter followed by the option's text (B 人口规模巨大).
		letters =
			lettersOf(answerText) ??
			lettersOf(/^([A-Ha-h](?:[\s,，、]*[A-Ha-h])*)(?=[\s.、:．：])/.exec(answerText)?.[1] ?? '');
		if (letters === null) return '选择题的答案应为选项字母，如 B 或 ACD';
		if (inStem !== null && [...new Set(inStem)].sort().join('') !== [...new Set(letters)].sort().join(''))
			return `题干括号中的答案 ${inStem} 与答案行的 ${letters} 不一致`;
	} else letters = inStem;
	if (letters === null) return '没有找到答案';
	const picked = [...new Set(letters)].sort();
	const missing = picked.find((l) => l.charCodeAt(0) - 65 >= options.length);
	if (missing) return `答案 ${missing} 没有对应的选项`;
	if (declared === 'single' && picked.length > 1) return '单选题只能有一个答案';
	if (declared === 'multiple' && picked.length < 2) return '多选题至少要有两个正确答案';
	const indexes = picked.map((l) => l.charCodeAt(0) - 65);
	const blanks = [...letterBrackets, ...brackets.filter((b) => b.content === '')].sort((a, b) => a.at - b.at);
	const outStem = replaceRanges(stem, blanks, () => CHOICE_BLANK);
	return indexes.length > 1
		? { stem: outStem, answer: indexes, type: 'multiple' }
		: { stem: outStem, answer: indexes[0]!, type: 'single' };
}
