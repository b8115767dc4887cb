import { randomInt } from 'node:crypto';
import type { QuestionAnswer } from '../content/pack';
import type { QuestionType } from '../db/schema';
import type { EssayAnswer } from '../exams/types';

/** A question as it stands in one attempt: options in the order shown, the answer in that order. */
export interface QuestionSnapshot {
	key: string;
	type: QuestionType;
	stem: string;
	options: string[];
	/** A 简答's key (reference answer, rubric, length limit) in exams; the others' in every attempt. */
	answer: QuestionAnswer | EssayAnswer;
	explanation: string;
	moduleId: number;
	lessonId: number;
}

/** What the browser may see of a question before the attempt is submitted. */
export interface PublicQuestion {
	type: QuestionType;
	stem: string;
	options: string[];
	blanks: number;
	/** 简答 only: the longest answer allowed, in characters. */
	maxLength: number | null;
}

/** A learner's answer: an option, options, true/false, the blanks' texts, or a 简答's text. */
export type Response = number | number[] | boolean | string[] | string;

export const TYPE_LABELS: Record<QuestionType, string> = {
	single: '单选题',
	multiple: '多选题',
	truefalse: '判断题',
	fill: '填空题',
	essay: '简答题'
};

export const BLANK = '____';

export function publicQuestion(s: QuestionSnapshot): PublicQuestion {
	return {
		type: s.type,
		stem: s.stem,
		options: s.options,
		blanks: s.type === 'fill' ? (s.answer as string[][]).length : 0,
		maxLength: s.type === 'essay' ? (s.answer as EssayAnswer).maxLength : null
	};
}

export function shuffle<T>(items: readonly T[]): T[] {
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = randomInt(i + 1);
		[out[i], out[j]] = [out[j]!, out[i]!];
	}
	return out;
}

/** Builds the snapshot of a bank question, shuffling choice options when asked. */
export function snapshotOf(
	q: {
		key: string;
		type: QuestionType;
		stem: string;
		options: string;
		answer: string;
		explanation: string;
		moduleId: number;
		lessonId: number;
	},
	shuffleOptions: boolean
): QuestionSnapshot {
	const options = JSON.parse(q.options) as string[];
	const answer = JSON.parse(q.answer) as QuestionAnswer | EssayAnswer;
	const base = {
		key: q.key,
		type: q.type,
		stem: q.stem,
		explanation: q.explanation,
		moduleId: q.moduleId,
		lessonId: q.lessonId
	};
	if (!shuffleOptions || (q.type !== 'single' && q.type !== 'multiple')) return { ...base, options, answer };
	const order = shuffle(options.map((_, i) => i)); // order[shown] = original
	const shownIndex = (original: number) => order.indexOf(original);
	return {
		...base,
		options: order.map((i) => options[i]!),
		answer:
			q.type === 'single'
				? shownIndex(answer as number)
				: (answer as number[]).map(shownIndex).sort((a, b) => a - b)
	};
}

/**
 * Fill-in answers compare after: Unicode NFKC (full-width letters, digits and
 * punctuation become half-width), trimming, dropping trailing punctuation and
 * spaces inside, and ignoring letter case.
 */
export function normaliseFill(text: string): string {
	return text
		.normalize('NFKC')
		.trim()
		.replace(/[\s\u3000]+/g, '')
		.replace(/[。.，,、；;：:！!？?…]+$/u, '')
		.toLowerCase();
}

/** Whether a response is right. Never for a 简答: graders score those by hand. */
export function isCorrect(s: QuestionSnapshot, response: Response | null): boolean {
	if (response === null) return false;
	switch (s.type) {
		case 'essay':
			return false;
		case 'single':
			return response === s.answer;
		case 'truefalse':
			return response === s.answer;
		case 'multiple': {
			const given = [...new Set(response as number[])].sort((a, b) => a - b);
			const want = s.answer as number[];
			return given.length === want.length && given.every((v, i) => v === want[i]);
		}
		case 'fill': {
			const given = response as string[];
			const blanks = s.answer as string[][];
			return (
				blanks.length === given.length &&
				blanks.every((accepted, i) =>
					accepted.some((a) => normaliseFill(a) === normaliseFill(given[i] ?? ''))
				)
			);
		}
	}
}

/**
 * Reads a response from form fields (`choice` repeated for options, `tf`,
 * `blank` repeated for blanks). Returns null when nothing was given, or an
 * error message in Chinese when the input cannot be an answer to this question.
 */
/**
 * An option's index exactly as the form renders it (`value={i}`): Number() would also read
 * '', ' ' or '\n' as 0 (option A), '0x1' or '1e0' as 1.
 */
function optionIndex(raw: FormDataEntryValue, count: number): number | null {
	if (typeof raw !== 'string' || !/^\d{1,3}$/.test(raw)) return null;
	const n = Number(raw);
	return n < count ? n : null;
}

/** The longest answer one blank takes (the input's maxlength). */
export const MAX_BLANK_LENGTH = 100;

export function readResponse(
	q: PublicQuestion,
	form: FormData
): { response: Response | null } | { error: string } {
	if (q.type === 'essay') {
		const raw = form.get('essay');
		// Browsers send a textarea's line breaks as CRLF but count them as one character.
		const text = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim() : '';
		if (text === '') return { response: null };
		// Refused, not cut, like a blank: a cut answer is not what the candidate wrote.
		const max = q.maxLength ?? 0;
		if (text.length > max) return { error: `答案不能超过 ${max} 个字，您写了 ${text.length} 个字` };
		return { response: text };
	}
	if (q.type === 'single') {
		const raw = form.get('choice');
		if (raw === null || raw === '') return { response: null };
		const n = optionIndex(raw, q.options.length);
		return n === null ? { error: '请选择一个选项' } : { response: n };
	}
	if (q.type === 'multiple') {
		const values = form.getAll('choice').map((raw) => optionIndex(raw, q.options.length));
		if (values.length === 0) return { response: null };
		if (values.some((n) => n === null)) return { error: '选项无效' };
		return { response: [...new Set(values as number[])].sort((a, b) => a - b) };
	}
	if (q.type === 'truefalse') {
		const raw = form.get('tf');
		if (raw === null || raw === '') return { response: null };
		if (raw !== 'true' && raw !== 'false') return { error: '请选择“正确”或“错误”' };
		return { response: raw === 'true' };
	}
	const blanks = form.getAll('blank').map((v) => (typeof v === 'string' ? v : ''));
	if (blanks.every((b) => b.trim() === '')) return { response: null };
	if (blanks.length !== q.blanks) return { error: '填空数量不对' };
	// Refused, not cut: a cut answer would be stored as something the learner never wrote.
	if (blanks.some((b) => b.length > MAX_BLANK_LENGTH))
		return { error: `每空不能超过 ${MAX_BLANK_LENGTH} 个字` };
	return { response: blanks };
}

/** The correct answer as a reader sees it (after submission only). */
export function answerText(s: QuestionSnapshot): string {
	const letter = (i: number) => String.fromCharCode(65 + i);
	switch (s.type) {
		case 'single':
			return `${letter(s.answer as number)}. ${s.options[s.answer as number]}`;
		case 'multiple':
			return (s.answer as number[]).map((i) => `${letter(i)}. ${s.options[i]}`).join('；');
		case 'truefalse':
			return s.answer ? '正确' : '错误';
		case 'fill':
			return (s.answer as string[][]).map((accepted) => accepted[0]).join('；');
		case 'essay':
			return (s.answer as EssayAnswer).reference;
	}
}

export function responseText(
	s: { type: QuestionType; options: string[] },
	response: Response | null
): string {
	if (response === null) return '未作答';
	const letter = (i: number) => String.fromCharCode(65 + i);
	switch (s.type) {
		case 'single':
			return `${letter(response as number)}. ${s.options[response as number] ?? ''}`;
		case 'multiple':
			return (response as number[]).map((i) => `${letter(i)}. ${s.options[i] ?? ''}`).join('；');
		case 'truefalse':
			return response ? '正确' : '错误';
		case 'fill':
			return (response as string[]).map((v) => v || '（空）').join('；');
		case 'essay':
			return response as string;
	}
}
