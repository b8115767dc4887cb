import type { ModuleDoc } from '../authoring/doc';
import { OPTION_LETTERS } from '../../lesson-editor';
import { checkChars, excerptOf, questionCounter } from './gift';
import type { ParseResult, SourceProblem } from './types';

/*
 * Moodle's Aiken format (issue #16): single choice only, no explanation, no feedback.
 *
 *     题干（可以多行）
 *     A. 选项一        (A) or A. then the text; A．A） are read too)
 *     B. 选项二
 *     ANSWER: B
 *
 * Blank lines between questions are optional (a question ends at its ANSWER line). A question
 * read from Aiken has no explanation ('', as the import pipeline expects of a source without
 * one). Lesson, difficulty and source are not part of the format.
 */

const OPTION = /^([A-Z])\s*[.)．）]\s*(.*)$/;
const ANSWER = /^ANSWER\s*[:：]\s*(.*)$/i;
const MAX_OPTIONS = OPTION_LETTERS.length;

interface Pending {
	line: number;
	stem: string[];
	options: string[];
	/** Why the question cannot be read, found before its ANSWER line. */
	broken: string | null;
}

/** Reads an Aiken file: every question, and every part that is not one, with its line. */
export function parseAiken(source: string): ParseResult {
	const lines = source.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
	const result: ParseResult = { questions: [], problems: [] };
	const count = questionCounter();
	let current: Pending | null = null;

	const problem = (q: Pending, message: string, skipped = false) => {
		const text = q.stem.length ? q.stem.join(' ') : q.options.join(' ');
		const p: SourceProblem = { line: q.line, excerpt: excerptOf(text), message, skipped };
		result.problems.push(p);
	};

	const finish = (q: Pending, answer: string) => {
		if (q.broken) return problem(q, q.broken);
		if (q.options.length === 0) return problem(q, '没有选项：每个选项单独一行，以 A. 或 A) 开头');
		if (q.options.length < 2) return problem(q, '至少要有两个选项');
		if (q.options.length > MAX_OPTIONS)
			return problem(
				q,
				`选项最多 ${MAX_OPTIONS} 个（A–${OPTION_LETTERS.at(-1)}），这道题有 ${q.options.length} 个`
			);
		const empty = q.options.findIndex((o) => !o);
		if (empty >= 0) return problem(q, `选项 ${OPTION_LETTERS[empty]} 是空的`);
		const value = answer.trim();
		if (!value) return problem(q, 'ANSWER 行没有写出正确答案的字母（如 ANSWER: B）');
		const letter = /^([A-Za-z])\s*[.)．）]?$/.exec(value);
		if (!letter)
			return problem(
				q,
				`Aiken 格式只有单选题，答案只能是一个字母（如 ANSWER: B），这里是“${excerptOf(value)}”`
			);
		const index = letter[1]!.toUpperCase().charCodeAt(0) - 65;
		if (index >= q.options.length) return problem(q, `答案 ${letter[1]!.toUpperCase()} 没有对应的选项`);
		const stem = q.stem.join('\n');
		for (const text of [stem, ...q.options]) checkChars(q.line, text);
		result.questions.push({
			line: q.line,
			type: 'single',
			stem,
			options: q.options,
			answer: index,
			explanation: '',
			difficulty: null,
			lesson: '',
			sourceRef: ''
		});
	};

	const start = (line: number, stem: string[], broken: string | null = null): Pending => {
		count();
		return { line, stem, options: [], broken };
	};

	lines.forEach((raw, i) => {
		const line = i + 1;
		const text = raw.trim();
		if (!text) return;
		const answer = ANSWER.exec(text);
		if (answer) {
			if (current) finish(current, answer[1]!);
			else {
				count();
				result.problems.push({
					line,
					excerpt: excerptOf(text),
					message: 'ANSWER 行前面没有题目',
					skipped: false
				});
			}
			current = null;
			return;
		}
		const option = OPTION.exec(text);
		if (current && option && (current.options.length > 0 || option[1] === 'A')) {
			const expected = String.fromCharCode(65 + current.options.length);
			if (option[1] !== expected && !current.broken)
				current.broken = `选项字母顺序不对：这里应是 ${expected}，却是 ${option[1]}`;
			current.options.push(option[2]!.trim());
			return;
		}
		if (!current && option && option[1] === 'A') {
			current = start(line, [], '选项前面没有题干');
			current.options.push(option[2]!.trim());
			return;
		}
		if (current && current.options.length > 0) {
			// A new question began before this one's ANSWER line.
			problem(current, '缺少 ANSWER 行（正确答案，如 ANSWER: B）');
			current = null;
		}
		if (current) current.stem.push(text);
		else current = start(line, [text]);
	});
	if (current) problem(current, '缺少 ANSWER 行（正确答案，如 ANSWER: B）');
	return result;
}

const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/**
 * The draft's single-choice questions as Aiken (line breaks in a stem or option become spaces,
 * as Moodle writes them); `skipped`: the questions of other types, which Aiken cannot hold.
 */
export function toAiken(doc: ModuleDoc): { text: string; skipped: number } {
	const single = doc.questions.filter((q) => q.type === 'single');
	const blocks = single.map((q) =>
		[
			oneLine(q.stem),
			...q.options.map((o, i) => `${String.fromCharCode(65 + i)}) ${oneLine(o)}`),
			`ANSWER: ${String.fromCharCode(65 + (q.answer as number))}`
		].join('\n')
	);
	return {
		text: blocks.length ? blocks.join('\n\n') + '\n' : '',
		skipped: doc.questions.length - single.length
	};
}
