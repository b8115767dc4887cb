import type { ModuleDoc, QuestionDoc } from '../authoring/doc';
import type { EssayAnswer } from '../exams/types';
import { BLANK, DIFFICULTY_LABELS, ESSAY_LIMITS, OPTION_LETTERS, blankCount } from '../../lesson-editor';
import { difficultyOf } from './difficulty';
import { parseLength, parseRubric, rubricText, RUBRIC_EXAMPLE } from './essay';
import { ImportError } from './errors';
import { IMPORT_LIMITS, type ParseResult, type SourceProblem, type SourceQuestion } from './types';

/*
 * Moodle's GIFT format, in and out (issue #16). The reader follows Moodle's own importer
 * (question/format/gift/format.php), so a file Moodle reads is read the same way here:
 *
 * - Questions are separated by blank lines. Whole lines starting with // are comments; a block
 *   that is only comments (or only a `$CATEGORY:` line) is not a question. `$CATEGORY:` lines
 *   are ignored (a module has no categories). `::title::` is dropped: a module's questions have
 *   no names.
 * - Escapes \~ \= \# \{ \} \: stand for the character, \n for a line break, \\ for a backslash.
 * - The answers are between the first { and the first }. When they close the question, the
 *   stem is the text before them; when text follows (Moodle's "missing word"), ____ takes
 *   their place. A short answer always gets its ____ where the braces were (at the end when
 *   they close the question), since our fill-in stems mark the blank.
 * - Types, decided as Moodle decides them: no braces → description; {} → essay; {#…} →
 *   numerical; ~ in the answers → multiple choice; = with -> → matching; T/TRUE/F/FALSE →
 *   true/false; otherwise short answer. Description, numerical and matching are listed as
 *   skipped (SourceProblem.skipped), with the reason.
 * - Essay ({} or {####general feedback}) is our 简答. GIFT has no place for its key, so it is in
 *   our comments above it: `// 参考答案：…` (line breaks as \n, a backslash as \\),
 *   `// 采分点：要点一（3分）；要点二（2分）` and `// 字数上限：500` (optional). A Moodle essay without
 *   them is a problem saying what to add (the question needs a reference answer and a rubric).
 * - Multiple choice: `=` is right; `~%w%` carries a weight, and any positive weight counts as
 *   right (the issue's rule). One right option → single choice, two or more → multiple
 *   choice. Short answer: the variants with a positive weight (or none, i.e. 100%) are the
 *   accepted answers of the one blank.
 * - [html] [markdown] [plain] [moodle] markers are stripped; [html] text is turned into plain
 *   text (tags dropped, <br> and paragraphs as line breaks, entities decoded).
 * - The explanation is the general feedback (`####…`). Without it, the right answers'
 *   feedback (`#…` after a right option or accepted answer; for true/false the feedback on
 *   the right answer, else the one on the wrong answer) stands in. Without either, it is ''
 *   (what to do with a question without explanation is the import pipeline's decision).
 * - Our own comments `// 课时：…`, `// 难度：易|中|难` and `// 出处：…` inside a question's block
 *   give its lesson, difficulty and source passage (toGift writes them, so a round trip keeps
 *   the links), and those above for 简答; Moodle ignores them as comments.
 *
 * Bounds: more than IMPORT_LIMITS.questions questions, or a stem/option/answer/explanation
 * longer than IMPORT_LIMITS.cellChars, refuses the whole file (ImportError).
 */

const FORMAT_MARKER = /^\[(moodle|html|plain|markdown)\]/;

/** Placeholders for escaped characters while the structure is read (private use area). */
const ESCAPES: Record<string, string> = {
	':': '\uE000',
	'#': '\uE001',
	'=': '\uE002',
	'{': '\uE003',
	'}': '\uE004',
	'~': '\uE005',
	n: '\uE006'
};
const RESTORE: Record<string, string> = {
	'\uE000': ':',
	'\uE001': '#',
	'\uE002': '=',
	'\uE003': '{',
	'\uE004': '}',
	'\uE005': '~',
	'\uE006': '\n'
};
const PLACEHOLDERS = /[\uE000-\uE006]/g;

/** Escaped characters → placeholders; `\\` → a backslash; other backslashes stay. */
function hideEscapes(text: string): string {
	let out = '';
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if (c === '\\' && i + 1 < text.length) {
			const next = text[i + 1]!;
			if (next === '\\') {
				out += '\\';
				i++;
				continue;
			}
			const placeholder = ESCAPES[next];
			if (placeholder) {
				out += placeholder;
				i++;
				continue;
			}
		}
		out += c;
	}
	return out;
}

const restore = (text: string) => text.replace(PLACEHOLDERS, (c) => RESTORE[c]!);

const ENTITIES: Record<string, string> = { nbsp: ' ', lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };

/** HTML (Moodle's editor output) as plain text. */
export function htmlToText(html: string): string {
	return html
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<\/(p|div|li|h[1-6])>\s*/gi, '\n')
		.replace(/<[^>]*>/g, '')
		.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
			if (name[0] === '#') {
				const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
				return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
			}
			return ENTITIES[name.toLowerCase()] ?? whole;
		})
		.replace(/[ \t]+\n/g, '\n')
		.trim();
}

type TextFormat = 'moodle' | 'html' | 'plain' | 'markdown';

/** A piece of text with its format marker read (`fallback` when it has none), escapes restored. */
function readText(raw: string, fallback: TextFormat): { text: string; format: TextFormat } {
	let text = raw.trim();
	let format = fallback;
	const marker = FORMAT_MARKER.exec(text);
	if (marker) {
		format = marker[1] as TextFormat;
		text = text.slice(marker[0].length);
	}
	text = restore(text);
	return { text: (format === 'html' ? htmlToText(text) : text).trim(), format };
}

/** The first characters of a question's source, so the author finds it. */
export function excerptOf(text: string): string {
	return text.replace(/\s+/g, ' ').trim().slice(0, 60);
}

/** Refuses the whole file when one text is longer than a question field could ever be. */
export function checkChars(line: number, text: string): void {
	if (text.length > IMPORT_LIMITS.cellChars) {
		throw new ImportError(
			`第 ${line} 行起的题目中有一段文字超过 ${IMPORT_LIMITS.cellChars} 个字，无法导入：请检查题目之间是否用空行隔开，或删减后重试`
		);
	}
}

/** Counts the questions of a file as they are read, refusing once there are too many. */
export function questionCounter(): () => void {
	let count = 0;
	return () => {
		if (++count > IMPORT_LIMITS.questions) {
			throw new ImportError(`一次最多导入 ${IMPORT_LIMITS.questions} 道题，请分成几个文件导入`);
		}
	};
}

const SKIPPED: Record<string, string> = {
	description: '不支持的题型：说明文字（description，没有用 {…} 写出的答案），已跳过',
	numerical: '不支持的题型：数值题（numerical），已跳过',
	matching: '不支持的题型：匹配题（matching），已跳过'
};

const MAX_OPTIONS = OPTION_LETTERS.length;
const WEIGHT = /^%(-?\d+(?:\.\d+)?)%/;
const BAD_WEIGHT = /^%[^%\n]*%/;

interface Meta {
	lesson: string;
	difficulty: 1 | 2 | 3 | null;
	sourceRef: string;
	/** 简答: the comments // 参考答案： // 采分点： // 字数上限： (null: not given). */
	reference: string | null;
	rubric: string | null;
	maxLength: string | null;
}

/** A comment's text with \n as a line break and \\ as a backslash (how toGift writes a reference). */
const unescapeComment = (text: string) =>
	text.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
const escapeComment = (text: string) => text.replace(/\r/g, '').replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

/** Our comments in a question's block: // 课时：… // 难度：… // 出处：… and a 简答's key. */
function readMeta(comments: string[]): Meta {
	const meta: Meta = {
		lesson: '',
		difficulty: null,
		sourceRef: '',
		reference: null,
		rubric: null,
		maxLength: null
	};
	for (const comment of comments) {
		const m = /^(课时|难度|出处|参考答案|采分点|字数上限)\s*[：:]\s*(.*)$/.exec(
			comment.replace(/^\/\/+/, '').trim()
		);
		if (!m) continue;
		const value = m[2]!.trim();
		if (m[1] === '课时') meta.lesson = value;
		else if (m[1] === '难度') meta.difficulty = difficultyOf(value);
		else if (m[1] === '出处') meta.sourceRef = value;
		else if (m[1] === '参考答案') meta.reference = unescapeComment(value).trim();
		else if (m[1] === '采分点') meta.rubric = value;
		else meta.maxLength = value;
	}
	return meta;
}

/** One answer of a list: its weight (null: none given), text and feedback. */
interface GiftAnswer {
	weight: number | null;
	text: string;
	feedback: string;
}

class Malformed extends Error {}

/** `%50%text#feedback` (the leading = or ~ already removed). */
function readAnswer(raw: string, format: TextFormat, readWeight: boolean): GiftAnswer {
	let rest = raw.trim();
	let weight: number | null = null;
	if (readWeight) {
		const m = WEIGHT.exec(rest);
		if (m) {
			weight = Number(m[1]);
			if (weight > 100 || weight < -100)
				throw new Malformed(`权重 ${m[1]}% 超出范围：应在 -100% 到 100% 之间`);
			rest = rest.slice(m[0].length);
		} else if (BAD_WEIGHT.test(rest)) {
			throw new Malformed(`权重写法不对：${restore(BAD_WEIGHT.exec(rest)![0])}（应为 %50% 这样的百分数）`);
		}
	}
	const hash = rest.indexOf('#');
	const text = readText(hash < 0 ? rest : rest.slice(0, hash), format).text;
	const feedback = hash < 0 ? '' : readText(rest.slice(hash + 1), format).text;
	return { weight, text, feedback };
}

const joinFeedback = (items: string[]) => [...new Set(items.filter(Boolean))].join('\n');

interface Parsed {
	type: SourceQuestion['type'];
	options: string[];
	answer: SourceQuestion['answer'];
	feedback: string;
}

/** A GIFT essay as our 简答: its key from the comments above it (see the header). */
function essay(meta: Meta): Parsed {
	if (!meta.reference && meta.rubric === null)
		throw new Malformed(
			`论述题（essay）缺少参考答案和采分点：请在题目上方加注释行“// 参考答案：……”和“// 采分点：${RUBRIC_EXAMPLE}”`
		);
	if (!meta.reference) throw new Malformed('简答题缺少参考答案：请在题目上方加注释行“// 参考答案：……”');
	if (meta.rubric === null)
		throw new Malformed(`简答题缺少采分点：请在题目上方加注释行“// 采分点：${RUBRIC_EXAMPLE}”`);
	const rubric = parseRubric(meta.rubric);
	if ('problem' in rubric) throw new Malformed(rubric.problem);
	const length = parseLength(meta.maxLength ?? '');
	if ('problem' in length) throw new Malformed(length.problem);
	const answer: EssayAnswer = {
		reference: meta.reference,
		rubric: rubric.rubric,
		maxLength: length.maxLength ?? ESSAY_LIMITS.defaultLength
	};
	return { type: 'essay', options: [], answer, feedback: '' };
}

function multipleChoice(answerText: string, format: TextFormat): Parsed {
	const parts = answerText.replace(/=/g, '~=').split('~');
	const first = parts.shift()!.trim();
	if (first) throw new Malformed(`选项要以 = 或 ~ 开头：“${excerptOf(restore(first))}”`);
	const answers = parts.map((part) => {
		const right = part.trimStart().startsWith('=');
		const answer = readAnswer(right ? part.trimStart().slice(1) : part, format, !right);
		return { ...answer, right: right || (answer.weight ?? 0) > 0 };
	});
	const empty = answers.findIndex((a) => !a.text);
	if (empty >= 0) throw new Malformed(`第 ${empty + 1} 个选项是空的`);
	if (answers.length < 2) throw new Malformed('至少要有两个选项');
	if (answers.length > MAX_OPTIONS)
		throw new Malformed(
			`选项最多 ${MAX_OPTIONS} 个（A–${OPTION_LETTERS.at(-1)}），这道题有 ${answers.length} 个`
		);
	const right = answers.flatMap((a, i) => (a.right ? [i] : []));
	if (right.length === 0)
		throw new Malformed('没有正确答案：请用 = 标出正确选项，或给正确选项正的权重（如 ~%50%）');
	return {
		type: right.length === 1 ? 'single' : 'multiple',
		options: answers.map((a) => a.text),
		answer: right.length === 1 ? right[0]! : right,
		feedback: joinFeedback(right.map((i) => answers[i]!.feedback))
	};
}

function trueFalse(answerText: string, format: TextFormat): Parsed {
	// {T#feedback on a wrong answer#feedback on the right answer}
	const [value = '', wrong = '', ...rest] = answerText.split('#');
	const right = rest.join('#');
	return {
		type: 'truefalse',
		options: [],
		answer: /^T(RUE)?$/i.test(value.trim()),
		feedback: readText(right, format).text || readText(wrong, format).text
	};
}

function shortAnswer(answerText: string, format: TextFormat): Parsed {
	const parts = answerText.split('=');
	if (!parts[0]!.trim()) parts.shift();
	const answers = parts.map((part) => readAnswer(part, format, true));
	const empty = answers.findIndex((a) => !a.text);
	if (empty >= 0) throw new Malformed(`第 ${empty + 1} 个答案是空的`);
	const accepted = answers.filter((a) => a.weight === null || a.weight > 0);
	if (accepted.length === 0) throw new Malformed('没有正确答案：填空题至少要有一个得分的答案（=答案）');
	return {
		type: 'fill',
		options: [],
		answer: [[...new Set(accepted.map((a) => a.text))]],
		feedback: accepted[0]!.feedback
	};
}

/** Reads one question's text (comments, category and blank lines already removed). */
function readQuestion(
	text: string,
	line: number,
	meta: Meta
): { question: SourceQuestion } | { problem: Omit<SourceProblem, 'line' | 'excerpt'> } {
	let body = text;
	if (body.startsWith('::')) {
		const end = body.indexOf('::', 2);
		if (end >= 0) body = body.slice(end + 2).trim();
		else body = body.slice(2);
	}
	const open = body.indexOf('{');
	const close = body.indexOf('}');
	if (open < 0 && close < 0) return { problem: { message: SKIPPED.description!, skipped: true } };
	if (close < 0)
		return {
			problem: {
				message: '大括号不配对：答案部分缺少结尾的 }（若 { 是题目文字，请写成 \\{）',
				skipped: false
			}
		};
	if (open < 0 || close < open)
		return {
			problem: {
				message: '大括号不配对：答案部分缺少开头的 {（若 } 是题目文字，请写成 \\}）',
				skipped: false
			}
		};
	const before = body.slice(0, open);
	const after = body.slice(close + 1);
	if (/[{}]/.test(after))
		return {
			problem: {
				message: '一段里有不止一组 {…} 答案：题目之间要用空行隔开（若大括号是题目文字，请写成 \\{ \\}）',
				skipped: false
			}
		};
	let answerText = body.slice(open + 1, close).trim();
	const general = answerText.lastIndexOf('####');
	let explanationRaw = '';
	if (general >= 0) {
		explanationRaw = answerText.slice(general + 4);
		answerText = answerText.slice(0, general).trim();
	}

	let kind: 'essay' | 'numerical' | 'matching' | 'mc' | 'tf' | 'short';
	if (answerText === '') kind = 'essay';
	else if (answerText.startsWith('#')) kind = 'numerical';
	else if (answerText.includes('~')) kind = 'mc';
	else if (answerText.includes('=') && answerText.includes('->')) kind = 'matching';
	else if (/^(T|TRUE|F|FALSE)$/i.test(answerText.split('#')[0]!.trim())) kind = 'tf';
	else kind = 'short';
	if (kind === 'numerical' || kind === 'matching')
		return { problem: { message: SKIPPED[kind]!, skipped: true } };

	// An essay's braces may stand inside its text (Moodle allows it): they are simply dropped.
	const missingWord = kind !== 'essay' && (after.trim() !== '' || kind === 'short');
	const stemRaw = missingWord ? before + BLANK + after : before;
	const stem = readText(kind === 'essay' ? before + after : stemRaw, 'moodle');
	let parsed: Parsed;
	try {
		parsed =
			kind === 'essay'
				? essay(meta)
				: kind === 'mc'
					? multipleChoice(answerText, stem.format)
					: kind === 'tf'
						? trueFalse(answerText, stem.format)
						: shortAnswer(answerText, stem.format);
	} catch (e) {
		if (e instanceof Malformed) return { problem: { message: e.message, skipped: false } };
		throw e;
	}
	const explanation = readText(explanationRaw, stem.format).text || parsed.feedback;
	const texts = [stem.text, explanation, ...parsed.options];
	if (parsed.type === 'fill') texts.push(...(parsed.answer as string[][]).flat());
	if (parsed.type === 'essay') {
		const key = parsed.answer as EssayAnswer;
		texts.push(key.reference, ...key.rubric.map((r) => r.point));
	}
	for (const t of texts) checkChars(line, t);
	return {
		question: {
			line,
			type: parsed.type,
			stem: stem.text,
			options: parsed.options,
			answer: parsed.answer,
			explanation,
			difficulty: meta.difficulty,
			lesson: meta.lesson,
			sourceRef: meta.sourceRef
		}
	};
}

/** Reads a GIFT file: every question it holds, and every block that is not one, with its line. */
export function parseGift(source: string): ParseResult {
	const lines = source
		.replace(/^\uFEFF/, '')
		.replace(PLACEHOLDERS, '')
		.split(/\r\n|\r|\n/);
	const result: ParseResult = { questions: [], problems: [] };
	const count = questionCounter();

	let block: { line: number; text: string }[] = [];
	const flush = () => {
		const comments = block.filter((l) => l.text.startsWith('//')).map((l) => l.text);
		let content = block.filter((l) => !l.text.startsWith('//'));
		block = [];
		if (content.length === 0) return;
		// A `$CATEGORY:` line (escapes first, as Moodle: \$CATEGORY\: is question text).
		if (hideEscapes(content[0]!.text).startsWith('$CATEGORY:')) content = content.slice(1);
		if (content.length === 0) return;
		count();
		const line = content[0]!.line;
		const raw = content.map((l) => l.text).join('\n');
		const read = readQuestion(hideEscapes(raw), line, readMeta(comments));
		if ('question' in read) result.questions.push(read.question);
		else result.problems.push({ line, excerpt: excerptOf(raw), ...read.problem });
	};
	lines.forEach((text, i) => {
		const trimmed = text.trim();
		if (trimmed === '') flush();
		else block.push({ line: i + 1, text: trimmed });
	});
	flush();
	return result;
}

// ——— Writing ———

/** Text as GIFT writes it: special characters escaped, line breaks as \n. */
const escapeChars = (text: string) =>
	text.replace(/\r/g, '').replace(/[\\#=~{}:\n]/g, (c) => (c === '\n' ? '\\n' : '\\' + c));

/** Text at the start of a GIFT text: escaped, and kept from reading as a format marker or comment. */
export function giftEscape(text: string): string {
	const escaped = escapeChars(text);
	// A leading format marker or // would be read as such: an explicit [moodle] marker keeps it text.
	return FORMAT_MARKER.test(escaped) || escaped.startsWith('//') ? '[moodle]' + escaped : escaped;
}

/**
 * An answer's text after ~ (wrong option) or = (short-answer variant): a leading %…% would be
 * read as a weight, so such a text gets its weight written first (0% wrong, 100% accepted).
 */
function giftAnswer(text: string, weight: '%0%' | '%100%'): string {
	const escaped = giftEscape(text);
	return (escaped.startsWith('%') ? weight : '') + escaped;
}

const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/** Moodle's fraction list holds these (100/k rounded as Moodle writes them). */
const shareOf = (k: number) => String(Number((100 / k).toFixed(5)));

/** Why a question cannot be written as GIFT, or null. */
function giftUnsupported(q: QuestionDoc): string | null {
	if (q.type !== 'fill') return null;
	const blanks = blankCount(q.stem);
	return blanks === 1 ? null : `GIFT 的填空题（简答题）只能有一个空，这道题有 ${blanks} 个空`;
}

/** How many of the draft's questions toGift leaves out (fill-ins with several blanks). */
export function giftSkipped(doc: ModuleDoc): number {
	return doc.questions.filter((q) => giftUnsupported(q) !== null).length;
}

/** The lesson as the file names it: its title when no other lesson has it, else its key. */
function lessonName(doc: ModuleDoc, key: string): string {
	const lesson = doc.lessons.find((l) => l.key === key);
	if (!lesson) return key;
	const title = oneLine(lesson.title);
	return doc.lessons.filter((l) => oneLine(l.title) === title).length === 1 && title ? title : key;
}

function questionGift(doc: ModuleDoc, q: QuestionDoc): string {
	const skipped = giftUnsupported(q);
	if (skipped) return `// 未导出（${skipped}）：${oneLine(q.stem).slice(0, 60)}`;
	const head = [
		`// 课时：${lessonName(doc, q.lessonKey)}`,
		`// 难度：${DIFFICULTY_LABELS[String(q.difficulty)]}`
	];
	if (q.sourceRef.trim()) head.push(`// 出处：${oneLine(q.sourceRef)}`);
	const general = q.explanation.trim() ? `####${giftEscape(q.explanation.trim())}` : '';
	let body: string;
	switch (q.type) {
		case 'essay': {
			const key = q.answer as EssayAnswer;
			head.push(
				`// 参考答案：${escapeComment(key.reference)}`,
				`// 采分点：${rubricText(key.rubric)}`,
				`// 字数上限：${key.maxLength}`
			);
			body = `${giftEscape(q.stem)}{${general}}`;
			break;
		}
		case 'single': {
			const options = q.options.map((o, i) =>
				i === q.answer ? `\t=${giftEscape(o)}` : `\t~${giftAnswer(o, '%0%')}`
			);
			body = `${giftEscape(q.stem)}{\n${options.join('\n')}\n${general ? `\t${general}\n` : ''}}`;
			break;
		}
		case 'multiple': {
			const right = q.answer as number[];
			const share = shareOf(right.length);
			const options = q.options.map((o, i) =>
				right.includes(i) ? `\t~%${share}%${giftEscape(o)}` : `\t~%-100%${giftEscape(o)}`
			);
			body = `${giftEscape(q.stem)}{\n${options.join('\n')}\n${general ? `\t${general}\n` : ''}}`;
			break;
		}
		case 'truefalse':
			body = `${giftEscape(q.stem)}{${q.answer ? 'TRUE' : 'FALSE'}${general}}`;
			break;
		case 'fill': {
			const at = q.stem.indexOf(BLANK);
			const variants = (q.answer as string[][])[0] ?? [];
			const answers = variants.map((v) => `=${giftAnswer(v, '%100%')}`).join(' ');
			const before = q.stem.slice(0, at);
			const after = q.stem.slice(at + BLANK.length);
			// After the braces a marker or // is not at the start of anything: escaping is enough.
			body = `${before ? giftEscape(before) : ''}{${answers}${general ? ` ${general}` : ''}}${escapeChars(after)}`;
			break;
		}
	}
	return [...head, body].join('\n');
}

/**
 * A draft's questions as a GIFT file: a `$CATEGORY:` line with the module title, then each
 * question with our // 课时 / 难度 / 出处 comments. Single choice: = right, ~ wrong; multiple
 * choice: ~%w% on each right option (w = 100/k, from Moodle's list of grades, summing to
 * 100%) and ~%-100% on each wrong one; true/false as {TRUE}/{FALSE}; a one-blank fill-in as a
 * short answer with its variants (braces where the blank is); a 简答 as an essay {} with its
 * reference answer, rubric and length limit in our comments; the explanation as the general
 * feedback (####). GIFT cannot hold a fill-in with several blanks: it is left out, with a
 * comment naming it (giftSkipped counts them).
 */
export function toGift(doc: ModuleDoc): string {
	const category = oneLine(doc.title).replace(/\//g, '//');
	const parts = [
		`// 学习园地题库导出：《${oneLine(doc.title)}》，共 ${doc.questions.length} 道题\n$CATEGORY: ${category}`,
		...doc.questions.map((q) => questionGift(doc, q))
	];
	return parts.join('\n\n') + '\n';
}
