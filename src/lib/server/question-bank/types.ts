import type { QuestionType } from '../db/schema';
import type { QuestionDoc } from '../authoring/doc';

/**
 * Question banks in and out (issue #16). CONTRACT written by the lead: every format's reader
 * turns its source into `ParseResult`; the import pipeline (import.ts) checks the questions
 * against the draft (authoring's parseQuestion: the same rules and Chinese messages as the
 * question form), stages them for the preview, and the confirmed import adds them to the draft
 * in one transaction. Writers turn a draft's questions into each format.
 */

/** A question as a source gave it, before it is checked against the draft. */
export interface SourceQuestion {
	/** Where it starts: the sheet row or the text line (1-based), for messages 第 N 行. */
	line: number;
	type: QuestionType;
	stem: string;
	/** Option texts in order (single/multiple); [] otherwise. */
	options: string[];
	/**
	 * Encoded as QuestionDoc.answer: option index, sorted indexes, boolean, accepted variants per
	 * blank, or a 简答's reference answer, rubric and length limit (EssayAnswer).
	 */
	answer: QuestionDoc['answer'];
	explanation: string;
	/** 1 易, 2 中, 3 难; null when the source does not say (the default 中 applies). */
	difficulty: 1 | 2 | 3 | null;
	/** The lesson as the source names it (title, 第2课, or a key like l2); '' when not given. */
	lesson: string;
	sourceRef: string;
}

/** Something in the source that is not a question we can import, and why (shown in the preview). */
export interface SourceProblem {
	line: number;
	/** The start of the offending text (≤ 60 characters), so the author finds it. */
	excerpt: string;
	/** In Chinese, e.g. 没有正确答案 / 答案 E 没有对应的选项 / 不支持的题型：匹配题（matching），已跳过. */
	message: string;
	/** true: a question type this product does not have (skipped by design), false: an error to fix. */
	skipped: boolean;
}

export interface ParseResult {
	questions: SourceQuestion[];
	problems: SourceProblem[];
}

export const IMPORT_FORMATS = ['sheet', 'text', 'gift', 'aiken'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const FORMAT_LABELS: Record<ImportFormat, string> = {
	sheet: 'Excel / CSV 模板',
	text: '文本或 Word（常见试卷格式）',
	gift: 'Moodle GIFT',
	aiken: 'Moodle Aiken'
};

/** Bounds of one import (checked while reading, as member imports are). */
export const IMPORT_LIMITS = {
	/** Questions (or sheet rows) in one file. */
	questions: 10_000,
	/** Characters of one cell or one question's text (a 简答's reference answer takes up to 3,000). */
	cellChars: 3_000,
	/** Bytes of an uploaded file (the form limit is 8 MB). */
	fileBytes: 8 * 1024 * 1024,
	/** Bytes a .xlsx/.docx may unzip to. */
	unzippedBytes: 50 * 1024 * 1024,
	/** Characters of pasted text. */
	pastedChars: 1_000_000
} as const;
