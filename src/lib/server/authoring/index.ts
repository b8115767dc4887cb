/**
 * Authoring (in-app study content): drafts, review and publishing, versions. CONTRACT STUB —
 * the authoring-core helper replaces every body; the signatures are what routes call.
 * Every write takes the acting admin (`AuditActor`, from `actorOf(event)`), checks that the
 * draft belongs to the actor's owner (authorOwner), and writes its audit row in its transaction.
 */
import type { Db, Queryable } from '../db';
import type { AuditActor } from '../audit';
import type { FieldErrors } from '../validation';
import type { AuthorUser, Owner } from './owner';
import type { ModuleDoc, LessonDoc, QuestionDoc } from './doc';
import type { DraftStatus } from '../db/schema';

export type { ModuleDoc, LessonDoc, QuestionDoc } from './doc';
export { authorOwner, type Owner, type AuthorUser } from './owner';

export type Result<T = object> = ({ ok: true } & T) | { ok: false; errors: FieldErrors };

export const DRAFT_STATUS_LABELS: Record<DraftStatus, string> = {
	editing: '草稿',
	submitted: '待审核',
	published: '已发布'
};

/** A row of the author's module list. */
export interface AuthoredRow {
	draftId: number;
	title: string;
	themeName: string;
	status: DraftStatus;
	/** Returned by a reviewer with a comment (status is editing again). */
	returned: boolean;
	moduleSlug: string | null;
	/** The latest published version (0: never published). */
	version: number;
	withdrawn: boolean;
	lessonCount: number;
	questionCount: number;
	updatedAt: Date;
	updatedByName: string;
}

export interface Draft {
	id: number;
	owner: Owner;
	ownerName: string;
	moduleId: number | null;
	moduleSlug: string | null;
	status: DraftStatus;
	doc: ModuleDoc;
	version: number;
	withdrawnAt: Date | null;
	submittedAt: Date | null;
	submittedByName: string | null;
	reviewComment: string | null;
	reviewedByName: string | null;
	updatedAt: Date;
	updatedByName: string;
	/** Whether the owner has one active admin only (then the author may self-approve). */
	singleAdmin: boolean;
}

/** Form fields as read with formFields(form). */
export type Fields = Record<string, string>;

function todo(): never {
	throw new Error('authoring: not implemented yet');
}

export function listAuthored(db: Queryable, owner: Owner): AuthoredRow[] {
	return todo();
}
/** The scoped loader: the draft if it belongs to the user's owner, else undefined (404 in one phrase). */
export function authoredDraft(db: Queryable, user: AuthorUser, draftId: number): Draft | undefined {
	return todo();
}
/** Module fields: title, themeId, summary, minutes, creditHours, inCatalog ('on'), intro, quiz fields (draw, time_limit_minutes, pass_mark, attempts, shuffle_questions, shuffle_options, show_answers). */
export function createDraft(db: Db, actor: AuditActor, fields: Fields): Result<{ id: number }> {
	return todo();
}
export function saveModuleFields(db: Db, actor: AuditActor, draftId: number, fields: Fields): Result {
	return todo();
}
/** A built-in module, or a live module of the actor's owner, copied into a new draft. */
export function copyModule(db: Db, actor: AuditActor, moduleId: number): Result<{ id: number }> {
	return todo();
}
/** key null: a new lesson. Fields: title, kind, body, mediaId, sourcePart, sourceHeading, sourceSection, sourceParagraph. */
export function saveLesson(
	db: Db,
	actor: AuditActor,
	draftId: number,
	key: string | null,
	fields: Fields
): Result<{ key: string }> {
	return todo();
}
export function moveLesson(
	db: Db,
	actor: AuditActor,
	draftId: number,
	key: string,
	direction: 'up' | 'down'
): Result {
	return todo();
}
/** Drag and drop: the lesson keys in their new order (must be the same set). */
export function reorderLessons(db: Db, actor: AuditActor, draftId: number, keys: string[]): Result {
	return todo();
}
export function removeLesson(db: Db, actor: AuditActor, draftId: number, key: string): Result {
	return todo();
}
/**
 * key null: a new question. Fields: type, stem, option0…option5, correct (single: index;
 * multiple: several `correct` values — pass them joined by ','), truefalse ('true'/'false'),
 * blank0…blank4 (accepted variants separated by ｜ or |), explanation, lessonKey, difficulty, sourceRef.
 * `warnings`: e.g. an explanation that names option letters (shuffled options make it wrong).
 */
export function saveQuestion(
	db: Db,
	actor: AuditActor,
	draftId: number,
	key: string | null,
	fields: Fields
): Result<{ key: string; warnings: string[] }> {
	return todo();
}
export function removeQuestion(db: Db, actor: AuditActor, draftId: number, key: string): Result {
	return todo();
}
/** Shuffle-safety and other non-blocking warnings of a question (shown in the bank list too). */
export function questionWarnings(question: QuestionDoc): string[] {
	return todo();
}
/** The preview of lesson Markdown, through the learners' renderer: html, reading figures, and what would be refused. */
export function lessonPreview(markdown: string): {
	html: string;
	charCount: number;
	minReadSeconds: number;
	problem: string | null;
} {
	return todo();
}
/** Themes an author may choose; schools may add one. */
export function themeOptions(db: Queryable, owner: Owner): { id: number; name: string }[] {
	return todo();
}
export function createTheme(db: Db, actor: AuditActor, name: string): Result<{ id: number }> {
	return todo();
}

// ---------------------------------------------------------------- review and publishing

/** 提交审核: refuses (errors per problem, `_form` a summary) what could not be published. */
export function submitDraft(db: Db, actor: AuditActor, draftId: number): Result {
	return todo();
}
/** 撤回提交: back to editing. */
export function recallDraft(db: Db, actor: AuditActor, draftId: number): Result {
	return todo();
}
/** 审核通过并发布: by a second admin of the owner; `selfApprove` (confirmed) when the owner has one admin. */
export function approveDraft(
	db: Db,
	actor: AuditActor,
	draftId: number,
	selfApprove: boolean
): Result<{ version: number }> {
	return todo();
}
/** 退回修改 with a comment (required). */
export function returnDraft(db: Db, actor: AuditActor, draftId: number, comment: string): Result {
	return todo();
}
/** 下线: archives the live module. When active courses use it and `confirmed` is false, refuses naming them. */
export function withdrawModule(
	db: Db,
	actor: AuditActor,
	draftId: number,
	confirmed: boolean
): Result | { ok: false; errors: FieldErrors; courses: string[] } {
	return todo();
}

export interface TextDiffPart {
	value: string;
	added?: boolean;
	removed?: boolean;
}
export interface DocDiff {
	fields: { label: string; from: string; to: string }[];
	lessons: {
		key: string;
		title: string;
		change: 'added' | 'removed' | 'changed' | 'moved';
		text?: TextDiffPart[];
	}[];
	questions: {
		key: string;
		stem: string;
		change: 'added' | 'removed' | 'changed';
		details?: { label: string; from: string; to: string }[];
	}[];
}
/** The draft against its latest published version (everything added when never published). */
export function draftDiff(db: Queryable, draft: Draft): DocDiff {
	return todo();
}

/** The draft (or a version) rendered as a learner would see it. */
export interface RenderedModule {
	title: string;
	summary: string;
	introHtml: string;
	lessons: {
		key: string;
		title: string;
		kind: LessonDoc['kind'];
		html: string;
		mediaId: number | null;
		minReadSeconds: number;
	}[];
	questionCount: number;
}
export function renderDoc(doc: ModuleDoc): RenderedModule {
	return todo();
}

// ---------------------------------------------------------------- versions

export function listVersions(
	db: Queryable,
	draft: Draft
): {
	version: number;
	publishedAt: Date;
	submittedByName: string;
	approvedByName: string;
	selfApproved: boolean;
}[] {
	return todo();
}
export function versionDoc(db: Queryable, draft: Draft, version: number): ModuleDoc | undefined {
	return todo();
}
/** 恢复为草稿: the version's document becomes the draft (keys kept, so identities carry over). */
export function restoreVersion(db: Db, actor: AuditActor, draftId: number, version: number): Result {
	return todo();
}
