import { z } from 'zod';
import type { Db, Queryable } from '../db';
import { LESSON_KINDS } from '../db/schema';
import type { AuditActor } from '../audit';
import { parseWith, type FieldErrors, type Parsed } from '../validation';
import type { Owner } from './owner';
import type { LessonDoc, ModuleDoc } from './doc';
import { editDraft, refused, formError, type EditOutcome } from './store';
import { LIMITS, markdownProblem, ownerMediaKinds, requiredText } from './validate';
import { lessonFigures } from './preview';
import type { Fields, Result } from './types';

/*
 * Lessons of a draft: added at the end with a new stable key, edited in place, reordered, removed.
 * The rules live in one place (`parseLesson`): a saved form and, at submission, every lesson of
 * the document (through `lessonFields`) are checked the same way.
 */

const LESSON_NOT_FOUND = '没有找到这个课时，它可能已被删除';

const sourceText = (label: string) =>
	z
		.string({ error: `${label}须为文字` })
		.trim()
		.max(LIMITS.source, { error: `${label}不能超过 ${LIMITS.source} 个字` })
		.default('');

const lessonInput = z
	.object({
		title: requiredText('课时标题', LIMITS.title),
		kind: z.preprocess(
			(v) => (v === '' || v === undefined ? 'text' : v),
			z.enum(LESSON_KINDS, { error: '请选择课时类型' })
		),
		body: z
			.string({ error: '正文须为文字' })
			.max(LIMITS.body, { error: `正文不能超过 ${LIMITS.body.toLocaleString('en-US')} 个字` })
			.default(''),
		mediaId: z
			.string({ error: '请选择素材' })
			.trim()
			.default('')
			.refine((v) => v === '' || /^\d{1,15}$/.test(v), { error: '请选择素材' })
			.transform((v) => (v === '' ? null : Number(v))),
		sourcePart: sourceText('报告部分'),
		sourceHeading: sourceText('部分标题'),
		sourceSection: sourceText('小节'),
		sourceParagraph: z
			.string({ error: '段落须为数字' })
			.trim()
			.default('')
			.refine((v) => v === '' || (/^\d{1,3}$/.test(v) && Number(v) >= 1), { error: '段落为 1–999 的数字' })
			.transform((v) => (v === '' ? 0 : Number(v)))
	})
	.superRefine((v, ctx) => {
		// A report passage is all of part, heading and paragraph (the section is optional), or nothing.
		const anySource = v.sourcePart || v.sourceHeading || v.sourceSection || v.sourceParagraph;
		if (!anySource) return;
		if (!v.sourcePart)
			ctx.addIssue({ code: 'custom', path: ['sourcePart'], message: '请填写出自报告的第几部分' });
		if (!v.sourceHeading)
			ctx.addIssue({ code: 'custom', path: ['sourceHeading'], message: '请填写这一部分的标题' });
		if (!v.sourceParagraph)
			ctx.addIssue({ code: 'custom', path: ['sourceParagraph'], message: '请填写第几段' });
	});

const MEDIA_WORD = { video: '视频', audio: '音频' } as const;

/** A lesson from its form, checked: text lessons need text, watched ones the owner's video or audio. */
export function parseLesson(db: Queryable, owner: Owner, fields: Fields, key: string): Parsed<LessonDoc> {
	const parsed = parseWith(lessonInput, fields);
	if (!parsed.ok) return parsed;
	const v = parsed.data;
	const lesson: LessonDoc = {
		key,
		title: v.title,
		kind: v.kind,
		body: v.body,
		mediaId: v.kind === 'text' ? null : v.mediaId,
		source: v.sourcePart
			? {
					part: v.sourcePart,
					heading: v.sourceHeading,
					section: v.sourceSection,
					paragraph: v.sourceParagraph
				}
			: null
	};
	const errors = contentProblems(db, owner, lesson);
	return Object.keys(errors).length ? { ok: false, errors } : { ok: true, data: lesson };
}

function contentProblems(db: Queryable, owner: Owner, lesson: LessonDoc): FieldErrors {
	const errors: FieldErrors = {};
	const bodyProblem = markdownProblem(db, owner, lesson.body);
	if (bodyProblem) errors.body = bodyProblem;
	else if (lesson.kind === 'text' && lessonFigures(lesson.body).charCount === 0)
		errors.body = '请填写课时正文';
	if (lesson.kind !== 'text') {
		const word = MEDIA_WORD[lesson.kind];
		const kind =
			lesson.mediaId === null ? undefined : ownerMediaKinds(db, owner, [lesson.mediaId]).get(lesson.mediaId);
		if (lesson.mediaId === null) errors.mediaId = `请选择${word}`;
		else if (!kind) errors.mediaId = `所选${word}不存在或不是本单位的素材`;
		else if (kind !== lesson.kind) errors.mediaId = `所选素材不是${word}文件`;
	}
	return errors;
}

/** A lesson as form fields (what its form starts from, and how submission re-checks it). */
export function lessonFields(lesson: LessonDoc): Fields {
	return {
		title: lesson.title,
		kind: lesson.kind,
		body: lesson.body,
		mediaId: lesson.mediaId === null ? '' : String(lesson.mediaId),
		sourcePart: lesson.source?.part ?? '',
		sourceHeading: lesson.source?.heading ?? '',
		sourceSection: lesson.source?.section ?? '',
		sourceParagraph: lesson.source ? String(lesson.source.paragraph || '') : ''
	};
}

/** key null: a new lesson at the end. Fields: title, kind, body, mediaId, sourcePart, sourceHeading, sourceSection, sourceParagraph. */
export function saveLesson(
	db: Db,
	actor: AuditActor,
	draftId: number,
	key: string | null,
	fields: Fields
): Result<{ key: string }> {
	return editDraft(db, actor, draftId, ({ tx, owner, doc, newLessonKey }): EditOutcome<{ key: string }> => {
		const index = key === null ? doc.lessons.length : doc.lessons.findIndex((l) => l.key === key);
		if (index < 0) return formError(LESSON_NOT_FOUND);
		if (key === null && doc.lessons.length >= LIMITS.lessons)
			return formError(`一个模块最多 ${LIMITS.lessons} 个课时`);
		const parsed = parseLesson(tx, owner, fields, key ?? 'new');
		if (!parsed.ok) return parsed;
		const lesson = { ...parsed.data, key: key ?? newLessonKey() };
		doc.lessons[index] = lesson;
		const summary = `${key === null ? '新增' : '修改'}课时《${lesson.title}》（模块《${doc.title}》）`;
		return { ok: true, value: { key: lesson.key }, summary };
	});
}

export function moveLesson(
	db: Db,
	actor: AuditActor,
	draftId: number,
	key: string,
	direction: 'up' | 'down'
): Result {
	return editDraft(db, actor, draftId, ({ doc }): EditOutcome<object> => {
		const from = doc.lessons.findIndex((l) => l.key === key);
		if (from < 0) return formError(LESSON_NOT_FOUND);
		const to = direction === 'up' ? from - 1 : from + 1;
		// Already first (or last): nothing to move, nothing to record.
		if (to < 0 || to >= doc.lessons.length) return { ok: true, value: {}, summary: '', unchanged: true };
		const [lesson] = doc.lessons.splice(from, 1);
		doc.lessons.splice(to, 0, lesson!);
		return {
			ok: true,
			value: {},
			summary: `调整课时顺序：《${lesson!.title}》${direction === 'up' ? '上移' : '下移'}`
		};
	});
}

/** Drag and drop: the lesson keys in their new order (must be the same set). */
export function reorderLessons(db: Db, actor: AuditActor, draftId: number, keys: string[]): Result {
	return editDraft(db, actor, draftId, ({ doc }): EditOutcome<object> => {
		const current = doc.lessons.map((l) => l.key);
		const sameSet =
			keys.length === current.length &&
			new Set(keys).size === keys.length &&
			keys.every((k) => current.includes(k));
		if (!sameSet) return formError('课时列表已经变化，请刷新页面后再调整顺序');
		if (keys.every((k, i) => k === current[i])) return { ok: true, value: {}, summary: '', unchanged: true };
		doc.lessons = keys.map((k) => doc.lessons.find((l) => l.key === k)!);
		return { ok: true, value: {}, summary: `调整课时顺序（模块《${doc.title}》）` };
	});
}

/**
 * Removes a lesson. Questions point at their lesson, so a lesson that questions link to is
 * refused (naming how many) unless `withQuestions` says to remove those questions too; the
 * editor can also move them to another lesson first.
 */
export function removeLesson(
	db: Db,
	actor: AuditActor,
	draftId: number,
	key: string,
	withQuestions = false
): Result<{ removedQuestions: number }> {
	return editDraft(db, actor, draftId, ({ doc }): EditOutcome<{ removedQuestions: number }> => {
		const lesson = doc.lessons.find((l) => l.key === key);
		if (!lesson) return formError(LESSON_NOT_FOUND);
		const linked = doc.questions.filter((q) => q.lessonKey === key).length;
		if (linked && !withQuestions)
			return refused({
				_form: `有 ${linked} 道题目关联课时《${lesson.title}》，请先把它们改到其他课时，或选择连同题目一起删除`
			});
		removeFrom(doc, key);
		const also = linked ? `及关联的 ${linked} 道题目` : '';
		return {
			ok: true,
			value: { removedQuestions: linked },
			summary: `删除课时《${lesson.title}》${also}（模块《${doc.title}》）`
		};
	});
}

function removeFrom(doc: ModuleDoc, key: string): void {
	doc.lessons = doc.lessons.filter((l) => l.key !== key);
	doc.questions = doc.questions.filter((q) => q.lessonKey !== key);
}
