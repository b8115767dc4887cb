import { and, count, eq, max } from 'drizzle-orm';
import type { Db, Queryable, Tx } from '../db';
import { moduleDrafts, moduleVersions, offices, schools, users } from '../db/schema';
import { recordAudit, type AuditActor, type AuditAction, type Change } from '../audit';
import type { FieldErrors } from '../validation';
import { authorOwner, ownsRow, type Owner } from './owner';
import type { ModuleDoc } from './doc';
import type { Result } from './types';

/*
 * The one way into a draft: every action finds it through the actor's owner (an author never
 * sees another school's or office's drafts), and every edit runs as one transaction that reads
 * the document, changes it, and writes it back with its audit entry — or writes nothing.
 */

export const NOT_FOUND = '没有找到这个模块，或不在您的管理范围内';
export const NOT_AN_AUTHOR = '只有党校管理员或单位管理员可以编写学习模块';
export const UNDER_REVIEW = '待审核期间不能修改，请先撤回提交';

export type DraftRow = typeof moduleDrafts.$inferSelect;

export function refused(errors: FieldErrors): { ok: false; errors: FieldErrors } {
	return { ok: false, errors };
}

export const formError = (message: string) => refused({ _form: message });

/** The owner an actor authors for (the audit actor carries the same fields as the signed-in user). */
export function actorOwner(actor: AuditActor): Owner | null {
	return authorOwner({
		id: actor.id,
		role: actor.role,
		officeId: actor.officeId,
		schoolId: actor.schoolId ?? null
	});
}

/** The draft if it belongs to this owner. */
export function ownedDraft(db: Queryable, owner: Owner | null, draftId: number): DraftRow | undefined {
	if (!owner || !Number.isSafeInteger(draftId)) return undefined;
	const row = db.select().from(moduleDrafts).where(eq(moduleDrafts.id, draftId)).get();
	return row && ownsRow(owner, row) ? row : undefined;
}

export function docOf(row: { doc: string }): ModuleDoc {
	return JSON.parse(row.doc) as ModuleDoc;
}

/** Who may see the audit entry: the owning school or office. */
export function ownerScope(owner: Owner): { officeId: number | null; schoolId: number | null } {
	return owner.kind === 'school'
		? { officeId: null, schoolId: owner.schoolId }
		: { officeId: owner.officeId, schoolId: null };
}

export function auditDraft(
	tx: Tx,
	actor: AuditActor,
	owner: Owner,
	draftId: number,
	action: AuditAction,
	summary: string,
	detail?: { changes?: Change[] } & Record<string, unknown>
): void {
	recordAudit(tx, actor, {
		action,
		...ownerScope(owner),
		target: { type: 'draft', id: draftId },
		summary,
		detail
	});
}

export function ownerName(db: Queryable, owner: Owner): string {
	const row =
		owner.kind === 'school'
			? db.select({ name: schools.name }).from(schools).where(eq(schools.id, owner.schoolId)).get()
			: db.select({ name: offices.name }).from(offices).where(eq(offices.id, owner.officeId)).get();
	return row?.name ?? '';
}

/** How many active admins the owner has: school admins of the school, office admins of the office. */
export function activeAdminCount(db: Queryable, owner: Owner): number {
	const where =
		owner.kind === 'school'
			? and(eq(users.role, 'school_admin'), eq(users.schoolId, owner.schoolId), eq(users.active, true))
			: and(eq(users.role, 'office_admin'), eq(users.officeId, owner.officeId), eq(users.active, true));
	return db.select({ n: count() }).from(users).where(where).get()?.n ?? 0;
}

export function userName(db: Queryable, userId: number | null): string | null {
	if (userId === null) return null;
	return db.select({ name: users.name }).from(users).where(eq(users.id, userId)).get()?.name ?? null;
}

/** The latest published version of a draft (0: never published). */
export function latestVersion(db: Queryable, draftId: number): number {
	return (
		db
			.select({ v: max(moduleVersions.version) })
			.from(moduleVersions)
			.where(eq(moduleVersions.draftId, draftId))
			.get()?.v ?? 0
	);
}

/** What an edit sees: the draft, its owner, a copy of its document to change, and the key counters. */
export interface Editing {
	tx: Tx;
	row: DraftRow;
	owner: Owner;
	doc: ModuleDoc;
	newLessonKey(): string;
	newQuestionKey(): string;
}

export type EditOutcome<T> =
	| { ok: false; errors: FieldErrors }
	| { ok: true; value: T; summary: string; changes?: Change[]; unchanged?: boolean };

/**
 * Runs one edit of a draft's document in one transaction: scope, status (a submitted draft is
 * frozen; a published one turns into a new draft over the published version, which learners
 * keep seeing), the change itself, then the document, counters and audit entry written together.
 */
export function editDraft<T extends object>(
	db: Db,
	actor: AuditActor,
	draftId: number,
	edit: (editing: Editing) => EditOutcome<T>
): Result<T> {
	return db.transaction((tx): Result<T> => {
		const owner = actorOwner(actor);
		const row = ownedDraft(tx, owner, draftId);
		if (!owner || !row) return formError(NOT_FOUND);
		if (row.status === 'submitted') return formError(UNDER_REVIEW);
		const counters = { lesson: row.nextLesson, question: row.nextQuestion };
		const editing: Editing = {
			tx,
			row,
			owner,
			doc: docOf(row),
			newLessonKey: () => `l${counters.lesson++}`,
			newQuestionKey: () => `q${counters.question++}`
		};
		const outcome = edit(editing);
		if (!outcome.ok) return outcome;
		if (outcome.unchanged) return { ok: true, ...outcome.value };
		tx.update(moduleDrafts)
			.set({
				doc: JSON.stringify(editing.doc),
				nextLesson: counters.lesson,
				nextQuestion: counters.question,
				status: 'editing',
				updatedBy: actor.id,
				updatedAt: new Date()
			})
			.where(eq(moduleDrafts.id, row.id))
			.run();
		const changes = outcome.changes?.length ? { changes: outcome.changes } : undefined;
		auditDraft(tx, actor, owner, row.id, 'module.update', outcome.summary, changes);
		return { ok: true, ...outcome.value };
	});
}

/** The module's title for audit summaries: 《…》. */
export const quoted = (title: string) => `《${title}》`;
