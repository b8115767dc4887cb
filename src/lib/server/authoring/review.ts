import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable, Tx } from '../db';
import { moduleDrafts } from '../db/schema';
import type { AuditActor } from '../audit';
import { parseWith, type FieldErrors } from '../validation';
import type { Owner } from './owner';
import type { ModuleDoc } from './doc';
import {
	activeAdminCount,
	actorOwner,
	auditDraft,
	docOf,
	formError,
	NOT_FOUND,
	ownedDraft,
	quoted,
	refused,
	type DraftRow
} from './store';
import { parseModuleFields, LIMITS, requiredText } from './validate';
import { moduleFields } from './drafts';
import { lessonFields, parseLesson } from './lessons';
import { objectiveCount, parseQuestion, questionFields } from './questions';
import { publishDoc } from './publish';
import type { Result } from './types';

/*
 * Review: 草稿 → 待审核 (submitted whole and checked whole) → 已发布 by a second admin of the same
 * school or office. Where the owner has a single admin, the author may publish their own
 * submission after confirming it, and the version records that it was self-approved.
 */

/** Every reason the document cannot be published, one entry each (empty: it can). */
export function docProblems(db: Queryable, owner: Owner, doc: ModuleDoc): FieldErrors {
	const module = parseModuleFields(db, owner, moduleFields(doc), doc.quiz);
	const problems: FieldErrors = module.ok ? {} : { ...module.errors };
	if (doc.lessons.length === 0) problems.lessons = '模块还没有课时，请至少添加一个课时';
	for (const lesson of doc.lessons) {
		const parsed = parseLesson(db, owner, lessonFields(lesson), lesson.key);
		if (!parsed.ok) problems[`lesson.${lesson.key}`] = `课时《${lesson.title}》：${firstOf(parsed.errors)}`;
	}
	// The module quiz draws objective questions only: 简答题 are for exams.
	const objective = objectiveCount(doc);
	if (doc.questions.length === 0) problems.questions = '题库还没有题目，请至少添加一道题';
	else if (objective === 0)
		problems.questions = '题库只有简答题：模块测验只抽单选、多选、判断和填空题，请至少添加一道';
	doc.questions.forEach((question, i) => {
		const parsed = parseQuestion(doc, questionFields(question), question.key);
		if (!parsed.ok) problems[`question.${question.key}`] = `第 ${i + 1} 题：${firstOf(parsed.errors)}`;
	});
	if (objective && doc.quiz.draw > objective)
		problems.draw ??=
			objective < doc.questions.length
				? `题库中可用于模块测验的题目（不含简答题）只有 ${objective} 道，少于每次抽题数 ${doc.quiz.draw}，请增加题目或减少抽题数`
				: `题库只有 ${doc.questions.length} 道题，少于每次抽题数 ${doc.quiz.draw}，请增加题目或减少抽题数`;
	return problems;
}

const firstOf = (errors: FieldErrors) => Object.values(errors)[0] ?? '';

/** One review step on a draft of the actor's owner, in one transaction. */
function reviewStep(
	db: Db,
	actor: AuditActor,
	draftId: number,
	step: (tx: Tx, owner: Owner, row: DraftRow, doc: ModuleDoc) => Result<{ version?: number }>
): Result<{ version?: number }> {
	return db.transaction((tx) => {
		const owner = actorOwner(actor);
		const row = ownedDraft(tx, owner, draftId);
		if (!owner || !row) return formError(NOT_FOUND);
		return step(tx, owner, row, docOf(row));
	});
}

/** 提交审核: refuses (errors per problem, `_form` a summary) what could not be published. */
export function submitDraft(db: Db, actor: AuditActor, draftId: number): Result {
	return reviewStep(db, actor, draftId, (tx, owner, row, doc) => {
		if (row.status === 'submitted') return formError('已经提交，正在等待审核');
		if (row.status === 'published' && !row.withdrawnAt)
			return formError('当前内容已经发布，修改后才能再次提交审核');
		const problems = docProblems(tx, owner, doc);
		const count = Object.keys(problems).length;
		if (count) return refused({ _form: `还有 ${count} 处需要修改，才能提交审核`, ...problems });
		const now = new Date();
		tx.update(moduleDrafts)
			.set({
				status: 'submitted',
				submittedBy: actor.id,
				submittedAt: now,
				reviewComment: null,
				reviewedBy: null,
				reviewedAt: null
			})
			.where(eq(moduleDrafts.id, row.id))
			.run();
		auditDraft(tx, actor, owner, row.id, 'module.submit', `提交审核：学习模块${quoted(doc.title)}`);
		return { ok: true };
	});
}

/** 撤回提交: back to editing. */
export function recallDraft(db: Db, actor: AuditActor, draftId: number): Result {
	return reviewStep(db, actor, draftId, (tx, owner, row, doc) => {
		if (row.status !== 'submitted') return formError('这个模块不在待审核状态，无需撤回');
		tx.update(moduleDrafts)
			.set({
				status: 'editing',
				submittedBy: null,
				submittedAt: null,
				updatedBy: actor.id,
				updatedAt: new Date()
			})
			.where(eq(moduleDrafts.id, row.id))
			.run();
		auditDraft(tx, actor, owner, row.id, 'module.recall', `撤回提交：学习模块${quoted(doc.title)}`);
		return { ok: true };
	});
}

export const SECOND_ADMIN_NEEDED = '需要本单位另一位管理员审核，提交人不能审核自己提交的内容';
export const CONFIRM_SELF_APPROVAL = '本单位只有您一位管理员：请确认由您本人审核发布（将记录为自行审核）';

/**
 * 审核通过并发布: by an admin of the owner other than the submitter. The submitter may approve
 * only when the owner has one active admin and `selfApprove` confirms it (recorded as such).
 */
export function approveDraft(
	db: Db,
	actor: AuditActor,
	draftId: number,
	selfApprove: boolean
): Result<{ version: number }> {
	const result = reviewStep(db, actor, draftId, (tx, owner, row, doc) => {
		if (row.status !== 'submitted' || row.submittedBy === null)
			return formError('只有待审核的模块可以审核发布');
		const selfApproved = row.submittedBy === actor.id;
		if (selfApproved && activeAdminCount(tx, owner) > 1) return formError(SECOND_ADMIN_NEEDED);
		if (selfApproved && !selfApprove)
			return refused({ _form: CONFIRM_SELF_APPROVAL, selfApprove: CONFIRM_SELF_APPROVAL });
		// Checked again: media or a theme may have gone since the submission.
		const problems = docProblems(tx, owner, doc);
		const count = Object.keys(problems).length;
		if (count) return refused({ _form: `内容有 ${count} 处问题，不能发布，请退回修改`, ...problems });
		const now = new Date();
		const approval = { submittedBy: row.submittedBy, approvedBy: actor.id, selfApproved };
		const version = publishDoc(tx, row, owner, doc, approval, now);
		tx.update(moduleDrafts)
			.set({ reviewedBy: actor.id, reviewedAt: now, reviewComment: null })
			.where(eq(moduleDrafts.id, row.id))
			.run();
		const how = selfApproved ? '（本单位仅一位管理员，自行审核）' : '';
		auditDraft(
			tx,
			actor,
			owner,
			row.id,
			'module.approve',
			`审核发布学习模块${quoted(doc.title)}第 ${version} 版${how}`,
			{
				version,
				selfApproved
			}
		);
		return { ok: true, version };
	});
	return result.ok ? { ok: true, version: result.version! } : result;
}

const returnInput = z.object({ comment: requiredText('退回意见', LIMITS.comment) });

/** 退回修改 with a comment (required): the draft is editable again and shows the comment. */
export function returnDraft(db: Db, actor: AuditActor, draftId: number, comment: string): Result {
	return reviewStep(db, actor, draftId, (tx, owner, row, doc) => {
		if (row.status !== 'submitted') return formError('只有待审核的模块可以退回');
		const parsed = parseWith(returnInput, { comment });
		if (!parsed.ok) return parsed;
		const now = new Date();
		tx.update(moduleDrafts)
			.set({ status: 'editing', reviewComment: parsed.data.comment, reviewedBy: actor.id, reviewedAt: now })
			.where(eq(moduleDrafts.id, row.id))
			.run();
		auditDraft(tx, actor, owner, row.id, 'module.return', `退回修改：学习模块${quoted(doc.title)}`, {
			comment: parsed.data.comment
		});
		return { ok: true };
	});
}
