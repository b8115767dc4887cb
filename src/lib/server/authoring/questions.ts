import { z } from 'zod';
import type { Db } from '../db';
import { OBJECTIVE_TYPES, QUESTION_TYPES } from '../db/schema';
import type { AuditActor } from '../audit';
import { BLANK, MAX_BLANK_LENGTH, TYPE_LABELS } from '../quiz/questions';
import { parseWith, type FieldErrors, type Parsed } from '../validation';
import type { EssayAnswer } from '../exams/types';
import type { ModuleDoc, QuestionDoc } from './doc';
import { editDraft, formError, type EditOutcome } from './store';
import { LIMITS, requiredText } from './validate';
import type { Fields, Result } from './types';
import { ESSAY_LIMITS, LETTER_WARNING, MAX_BLANKS, OPTION_LETTERS, letterWarning } from '../../lesson-editor';

/*
 * The question bank of a draft, in the shape the quiz engine snapshots and scores (see
 * quiz/questions.ts): options as texts, the answer as an option index (single), sorted indexes
 * (multiple), a boolean (true/false) or, per blank, the accepted variants (fill-in, blanks
 * marked ____ in the stem as in the content pack). A 简答 (essay) holds its key, EssayAnswer:
 * the reference answer, the rubric (采分点 with points each) and the length limit; it is graded
 * by hand in exams and never drawn by module quizzes, daily practice or live quizzes.
 */

// The form's limits and the letter warning are the editor's (lesson-editor.ts), which checks as one types.
export { ESSAY_LIMITS, LETTER_WARNING, MAX_BLANKS };
export const MAX_OPTIONS = OPTION_LETTERS.length;
export const MISSING_EXPLANATION = '没有解析：请在题目中补上解析，否则不能提交审核';
const QUESTION_NOT_FOUND = '没有找到这道题目，它可能已被删除';

const questionInput = z.object({
	type: z.enum(QUESTION_TYPES, { error: '请选择题型' }),
	stem: requiredText('题干', LIMITS.stem),
	explanation: requiredText('解析', LIMITS.explanation),
	lessonKey: z.string({ error: '请选择本题对应的课时' }).trim().min(1, { error: '请选择本题对应的课时' }),
	difficulty: z.preprocess(
		(v) => (v === '' || v === undefined ? '2' : v),
		z.enum(['1', '2', '3'], { error: '请选择难度' }).transform((v) => Number(v) as 1 | 2 | 3)
	),
	sourceRef: z
		.string({ error: '出处须为文字' })
		.trim()
		.max(LIMITS.sourceRef, { error: `出处不能超过 ${LIMITS.sourceRef} 个字` })
		.default('')
});

// A 简答's explanation is optional: the reference answer and the rubric say what is right.
const essayInput = questionInput.extend({
	explanation: z
		.string({ error: '解析须为文字' })
		.trim()
		.max(LIMITS.explanation, {
			error: `解析不能超过 ${LIMITS.explanation.toLocaleString('en-US')} 个字`
		})
		.default('')
});

/** The options given (option0…option7), without the empty ones at the end; a gap is an error. */
function optionsOf(fields: Fields, errors: FieldErrors): string[] {
	const given = Array.from({ length: MAX_OPTIONS }, (_, i) => (fields[`option${i}`] ?? '').trim());
	const last = given.findLastIndex((o) => o !== '');
	const options = given.slice(0, last + 1);
	options.forEach((option, i) => {
		const field = `option${i}`;
		if (!option) errors[field] ??= `请填写选项${OPTION_LETTERS[i]}，或删去它后面的选项`;
		else if (option.length > LIMITS.option) errors[field] ??= `选项不能超过 ${LIMITS.option} 个字`;
		else if (options.indexOf(option) < i)
			errors[field] ??= `与选项${OPTION_LETTERS[options.indexOf(option)]}重复`;
	});
	if (options.length < 2) errors[`option${options.length}`] ??= '至少要有两个选项';
	return options;
}

/** The chosen option indexes (`correct`: one index, or several joined by ','). */
function correctOf(fields: Fields, optionCount: number): number[] {
	const picked = (fields.correct ?? '')
		.split(',')
		.map((v) => v.trim())
		.filter((v) => /^\d$/.test(v))
		.map(Number)
		.filter((i) => i < optionCount);
	return [...new Set(picked)].sort((a, b) => a - b);
}

/** Per blank (blank0…blank4) the accepted answers, separated by ｜ or |. */
function blanksOf(fields: Fields, blankCount: number, errors: FieldErrors): string[][] {
	const blanks: string[][] = [];
	for (let i = 0; i < Math.max(blankCount, 1); i++) {
		const field = `blank${i}`;
		const accepted = (fields[field] ?? '')
			.split(/[｜|]/)
			.map((v) => v.trim())
			.filter(Boolean);
		if (accepted.length === 0) errors[field] ??= `请填写第 ${i + 1} 空的答案（多个可接受的答案用｜分隔）`;
		else if (accepted.some((a) => a.length > MAX_BLANK_LENGTH))
			errors[field] ??= `每个答案不能超过 ${MAX_BLANK_LENGTH} 个字`;
		blanks.push([...new Set(accepted)]);
	}
	for (let i = blankCount; i < MAX_BLANKS; i++) {
		if (blankCount > 0 && (fields[`blank${i}`] ?? '').trim())
			errors[`blank${i}`] ??= `题干只有 ${blankCount} 个空（用 ${BLANK} 表示），请删去多余的答案`;
	}
	return blanks;
}

const POINTS_RULE = `分值为 ${ESSAY_LIMITS.minPoints}–${ESSAY_LIMITS.maxPoints} 分，且须为 0.5 的倍数`;

/** A number as typed (half-width or full-width digits, one decimal point), or null. */
function typedNumber(raw: string): number | null {
	const text = raw.normalize('NFKC').trim();
	return /^\d{1,6}(\.\d{1,6})?$/.test(text) ? Number(text) : null;
}

/**
 * The rubric rows of the form (point0/points0 … : the scoring point and its points), in order.
 * A row left wholly empty is passed over (the form without JavaScript shows ten); half a row,
 * points out of 0.5–100 or off the half-point steps, more than ten rows or none are refused
 * beside the row's fields.
 */
function rubricOf(fields: Fields, errors: FieldErrors): EssayAnswer['rubric'] {
	const rows = [
		...new Set(
			Object.keys(fields).flatMap((name) => {
				const m = /^points?(\d{1,4})$/.exec(name);
				return m ? [Number(m[1])] : [];
			})
		)
	].sort((a, b) => a - b);
	const rubric: EssayAnswer['rubric'] = [];
	for (const i of rows) {
		const point = (fields[`point${i}`] ?? '').trim();
		const raw = (fields[`points${i}`] ?? '').trim();
		if (!point && !raw) continue;
		const n = rubric.length + 1;
		const points = typedNumber(raw);
		if (!point) errors[`point${i}`] ??= `请填写第 ${n} 个采分点的内容，或删去这一行的分值`;
		else if (point.length > ESSAY_LIMITS.point)
			errors[`point${i}`] ??= `第 ${n} 个采分点不能超过 ${ESSAY_LIMITS.point} 个字`;
		if (!raw) errors[`points${i}`] ??= `请填写第 ${n} 个采分点的分值`;
		else if (
			points === null ||
			points < ESSAY_LIMITS.minPoints ||
			points > ESSAY_LIMITS.maxPoints ||
			!Number.isInteger(points * 2)
		)
			errors[`points${i}`] ??= `第 ${n} 个采分点的${POINTS_RULE}`;
		rubric.push({ point, points: points ?? 0 });
	}
	if (rubric.length === 0) errors.point0 ??= '请至少填写一个采分点（要点和分值）';
	if (rubric.length > ESSAY_LIMITS.rubricRows)
		errors.rubric ??= `采分点最多 ${ESSAY_LIMITS.rubricRows} 个，这道题有 ${rubric.length} 个`;
	return rubric;
}

/** The 简答's key from the form: reference answer, rubric and length limit (500 when empty). */
function essayOf(fields: Fields, errors: FieldErrors): EssayAnswer {
	const reference = (fields.reference ?? '').replace(/\r\n?/g, '\n').trim();
	if (!reference) errors.reference ??= '请填写参考答案';
	else if (reference.length > ESSAY_LIMITS.reference)
		errors.reference ??= `参考答案不能超过 ${ESSAY_LIMITS.reference.toLocaleString('en-US')} 个字`;
	const rubric = rubricOf(fields, errors);
	const rawLength = (fields.maxLength ?? '').trim();
	const typed = rawLength ? typedNumber(rawLength) : ESSAY_LIMITS.defaultLength;
	if (
		typed === null ||
		!Number.isInteger(typed) ||
		typed < ESSAY_LIMITS.minLength ||
		typed > ESSAY_LIMITS.maxLength
	)
		errors.maxLength ??= `字数上限为 ${ESSAY_LIMITS.minLength}–${ESSAY_LIMITS.maxLength} 字的整数（留空为 ${ESSAY_LIMITS.defaultLength} 字）`;
	return { reference, rubric, maxLength: typed ?? ESSAY_LIMITS.defaultLength };
}

/** Whether a module quiz, daily practice or a live quiz may draw the question (简答 never). */
export function isObjective(question: { type: QuestionDoc['type'] }): boolean {
	return (OBJECTIVE_TYPES as readonly string[]).includes(question.type);
}

/** The questions a module quiz draws from: all but the 简答 ones. */
export function objectiveCount(doc: { questions: { type: QuestionDoc['type'] }[] }): number {
	return doc.questions.filter(isObjective).length;
}

/** A 简答's rubric total (a paper's default points for it); null for the other types. */
export function rubricTotal(question: Pick<QuestionDoc, 'type' | 'answer'>): number | null {
	if (question.type !== 'essay') return null;
	return (question.answer as EssayAnswer).rubric.reduce((sum, r) => sum + r.points, 0);
}

/** The options and answer of one type, from the form; problems go into `errors`. */
function answerOf(
	type: QuestionDoc['type'],
	stem: string,
	fields: Fields,
	errors: FieldErrors
): { options: string[]; answer: QuestionDoc['answer'] } {
	switch (type) {
		case 'essay':
			return { options: [], answer: essayOf(fields, errors) };
		case 'single':
		case 'multiple': {
			const options = optionsOf(fields, errors);
			const correct = correctOf(fields, options.length);
			if (type === 'single' && correct.length !== 1) errors.correct ??= '请选择一个正确答案';
			if (type === 'multiple' && correct.length < 2) errors.correct ??= '多选题至少要有两个正确答案';
			return { options, answer: type === 'single' ? (correct[0] ?? 0) : correct };
		}
		case 'truefalse': {
			const value = fields.truefalse;
			if (value !== 'true' && value !== 'false') errors.truefalse ??= '请选择这句话是正确还是错误';
			return { options: [], answer: value === 'true' };
		}
		case 'fill': {
			const blankCount = stem.split(BLANK).length - 1;
			if (blankCount === 0) errors.stem ??= `填空题题干中没有空，请用 ${BLANK}（四个下划线）标出要填的地方`;
			if (blankCount > MAX_BLANKS) errors.stem ??= `填空题最多 ${MAX_BLANKS} 个空`;
			return { options: [], answer: blanksOf(fields, Math.min(blankCount, MAX_BLANKS), errors) };
		}
	}
}

/**
 * A question from its form, checked against the draft (its lesson must be one of the draft's).
 * Fields: type, stem, option0…option7, correct, truefalse, blank0…blank4, explanation,
 * lessonKey, difficulty, sourceRef; for 简答 reference, point0/points0…point9/points9, maxLength.
 */
export function parseQuestion(doc: ModuleDoc, fields: Fields, key: string): Parsed<QuestionDoc> {
	const parsed = parseWith(fields.type === 'essay' ? essayInput : questionInput, fields);
	const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
	const type = QUESTION_TYPES.find((t) => t === fields.type);
	const stem = (fields.stem ?? '').trim();
	const content = type ? answerOf(type, stem, fields, errors) : { options: [], answer: 0 };
	const lessonKey = (fields.lessonKey ?? '').trim();
	if (lessonKey && !doc.lessons.some((l) => l.key === lessonKey))
		errors.lessonKey = '所选课时不存在，请重新选择';
	if (!parsed.ok || Object.keys(errors).length) return { ok: false, errors };
	return { ok: true, data: { key, ...parsed.data, ...content } };
}

/** A question as form fields (what its form starts from, and how submission re-checks it). */
export function questionFields(q: QuestionDoc): Fields {
	const fields: Fields = {
		type: q.type,
		stem: q.stem,
		explanation: q.explanation,
		lessonKey: q.lessonKey,
		difficulty: String(q.difficulty),
		sourceRef: q.sourceRef
	};
	q.options.forEach((option, i) => (fields[`option${i}`] = option));
	if (q.type === 'single') fields.correct = String(q.answer);
	if (q.type === 'multiple') fields.correct = (q.answer as number[]).join(',');
	if (q.type === 'truefalse') fields.truefalse = String(q.answer);
	if (q.type === 'fill')
		(q.answer as string[][]).forEach((accepted, i) => (fields[`blank${i}`] = accepted.join('｜')));
	if (q.type === 'essay') {
		const essay = q.answer as EssayAnswer;
		fields.reference = essay.reference;
		essay.rubric.forEach((row, i) => {
			fields[`point${i}`] = row.point;
			fields[`points${i}`] = String(row.points);
		});
		fields.maxLength = String(essay.maxLength);
	}
	return fields;
}

/**
 * key null: a new question. `warnings`: what is allowed but likely wrong, e.g. an explanation
 * naming option letters while options are shuffled.
 */
export function saveQuestion(
	db: Db,
	actor: AuditActor,
	draftId: number,
	key: string | null,
	fields: Fields
): Result<{ key: string; warnings: string[] }> {
	return editDraft(
		db,
		actor,
		draftId,
		({ doc, newQuestionKey }): EditOutcome<{ key: string; warnings: string[] }> => {
			const index = key === null ? doc.questions.length : doc.questions.findIndex((q) => q.key === key);
			if (index < 0) return formError(QUESTION_NOT_FOUND);
			if (key === null && doc.questions.length >= LIMITS.questions)
				return formError(`一个模块的题库最多 ${LIMITS.questions} 道题`);
			const parsed = parseQuestion(doc, fields, key ?? 'new');
			if (!parsed.ok) return parsed;
			const question = { ...parsed.data, key: key ?? newQuestionKey() };
			doc.questions[index] = question;
			const summary = `${key === null ? '新增' : '修改'}题目（${TYPE_LABELS[question.type]}）：${clip(question.stem)}（模块《${doc.title}》）`;
			const warnings = questionWarnings(question, doc.quiz.shuffle_options);
			return { ok: true, value: { key: question.key, warnings }, summary };
		}
	);
}

export function removeQuestion(db: Db, actor: AuditActor, draftId: number, key: string): Result {
	return editDraft(db, actor, draftId, ({ doc }): EditOutcome<object> => {
		const question = doc.questions.find((q) => q.key === key);
		if (!question) return formError(QUESTION_NOT_FOUND);
		doc.questions = doc.questions.filter((q) => q.key !== key);
		return { ok: true, value: {}, summary: `删除题目：${clip(question.stem)}（模块《${doc.title}》）` };
	});
}

const clip = (text: string) => (text.length > 30 ? text.slice(0, 30) + '…' : text);

/**
 * Shuffle-safety and other non-blocking warnings of a question (shown in the bank list too).
 * Options are shown in a new order to each learner when the quiz shuffles them, so "A" in
 * the explanation (or the stem) names a different option for almost everyone.
 */
export function questionWarnings(question: QuestionDoc, shuffleOptions = true): string[] {
	const warnings: string[] = [];
	// Only an import brings a question without one (the form requires it); review refuses it.
	// A 简答 may have none: its reference answer and rubric are what candidates see after release.
	if (!question.explanation.trim() && question.type !== 'essay') warnings.push(MISSING_EXPLANATION);
	const warning = letterWarning(question.type, question.stem, question.explanation, shuffleOptions);
	return warning ? [...warnings, warning] : warnings;
}
