import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { reflectionComments, reflections, users } from '../db/schema';
import { mayAttend } from '../study-sessions';
import { canManageOffice, managedOfficeIds, type Actor } from '../org/offices';
import { award } from '../points/ledger';
import type { FieldErrors } from '../validation';
import { recordAudit, type AuditActor } from '../audit';
import { canSeeModule } from '../learning/audience';
import { NOT_PICKABLE } from '../learning/catalog';

export const MIN_CHARS = 300;
export const MAX_CHARS = 5000;

export type Reflection = typeof reflections.$inferSelect;

/** Characters that count towards the length (whitespace does not). */
export function lengthOf(text: string): number {
	return Array.from(text.replace(/\s/g, '')).length;
}

/** Plain text with paragraphs: normalise line endings, trim, keep blank lines between paragraphs. */
function clean(text: string): string {
	return text
		.replace(/\r\n?/g, '\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

export interface ReflectionInput {
	title?: string;
	body?: string;
	moduleId?: string;
	sessionId?: string;
}

/**
 * Saves a reflection: as a draft (any length up to the limit) or submitted
 * (300–5,000 characters). Submitting earns the reflection points once.
 */
export function saveReflection(
	db: Db,
	author: Actor & { id: number },
	input: ReflectionInput,
	submit: boolean,
	id?: number,
	now = new Date()
): { ok: true; id: number; awarded: number } | { ok: false; errors: FieldErrors } {
	const errors: FieldErrors = {};
	const title = (input.title ?? '').trim();
	const body = clean(input.body ?? '');
	const moduleId = Number(input.moduleId) || null;
	const sessionId = Number(input.sessionId) || null;
	if (title.length < 2 || title.length > 40) errors.title = '请填写标题（2–40 个字）';
	const length = lengthOf(body);
	if (length > MAX_CHARS) errors.body = `不能超过 ${MAX_CHARS} 字（现在 ${length} 字）`;
	else if (submit && length < MIN_CHARS)
		errors.body = `提交需要至少 ${MIN_CHARS} 字（现在 ${length} 字），可以先保存草稿`;
	if (!moduleId && !sessionId) errors.topic = '请选择心得对应的学习模块或集中学习';
	// A module the author may study (learning/audience.ts), or the one their draft already has.
	const draftModuleId =
		id === undefined
			? null
			: (db
					.select({ moduleId: reflections.moduleId })
					.from(reflections)
					.where(and(eq(reflections.id, id), eq(reflections.userId, author.id)))
					.get()?.moduleId ?? null);
	if (moduleId && moduleId !== draftModuleId && !canSeeModule(db, author, moduleId))
		errors.topic = NOT_PICKABLE;
	// Only a session of the author's own office (hosted or invited): another office's is not theirs to write about.
	if (sessionId && !mayAttend(db, author.officeId, sessionId))
		errors.topic = '所选集中学习不存在，或您所在单位不在其参加范围内';
	let existing: Reflection | undefined;
	if (id !== undefined) {
		existing = db
			.select()
			.from(reflections)
			.where(and(eq(reflections.id, id), eq(reflections.userId, author.id)))
			.get();
		if (!existing) return { ok: false, errors: { _form: '没有找到这篇心得体会，或您无权查看' } };
		if (existing.status === 'submitted') return { ok: false, errors: { _form: '已提交的心得不能再修改' } };
	}
	if (Object.keys(errors).length) return { ok: false, errors };
	return db.transaction((tx) => {
		const values = {
			title,
			body,
			moduleId,
			sessionId,
			updatedAt: now,
			status: submit ? ('submitted' as const) : ('draft' as const),
			submittedAt: submit ? now : null
		};
		const rid = existing
			? (tx.update(reflections).set(values).where(eq(reflections.id, existing.id)).run(), existing.id)
			: tx
					.insert(reflections)
					.values({ ...values, userId: author.id, officeId: author.officeId, createdAt: now })
					.returning({ id: reflections.id })
					.get().id;
		const awarded = submit
			? award(tx, {
					userId: author.id,
					officeId: author.officeId,
					rule: 'reflection',
					key: `reflection:${rid}`,
					reason: `提交心得体会《${title}》`,
					at: now
				}).awarded
			: 0;
		return { ok: true as const, id: rid, awarded };
	});
}

/**
 * Who may read a reflection: its author, the admins of the author's office chain,
 * and — once marked excellent — every member of the author's office.
 */
export function canRead(db: Queryable, viewer: Actor & { id: number }, reflection: Reflection): boolean {
	if (reflection.userId === viewer.id) return true;
	if (reflection.status !== 'submitted') return false;
	if (
		viewer.role === 'sysadmin' ||
		(viewer.role === 'office_admin' && canManageOffice(db, viewer, reflection.officeId))
	)
		return true;
	return reflection.excellent && viewer.officeId !== null && viewer.officeId === reflection.officeId;
}

export function canModerate(db: Queryable, viewer: Actor, reflection: Reflection): boolean {
	return (
		reflection.status === 'submitted' &&
		(viewer.role === 'sysadmin' ||
			(viewer.role === 'office_admin' && canManageOffice(db, viewer, reflection.officeId)))
	);
}

export function getReflection(db: Queryable, viewer: Actor & { id: number }, id: number) {
	const reflection = db.select().from(reflections).where(eq(reflections.id, id)).get();
	if (!reflection || !canRead(db, viewer, reflection)) return undefined;
	const author = db.select({ name: users.name }).from(users).where(eq(users.id, reflection.userId)).get();
	const comments = db
		.select({
			id: reflectionComments.id,
			body: reflectionComments.body,
			createdAt: reflectionComments.createdAt,
			author: users.name
		})
		.from(reflectionComments)
		.innerJoin(users, eq(users.id, reflectionComments.authorId))
		.where(eq(reflectionComments.reflectionId, id))
		.orderBy(asc(reflectionComments.createdAt))
		.all();
	return {
		reflection,
		authorName: author?.name ?? '',
		comments,
		canModerate: canModerate(db, viewer, reflection)
	};
}

export function comment(
	db: Db,
	viewer: AuditActor,
	id: number,
	body: string,
	now = new Date()
): { ok: true } | { ok: false; message: string } {
	const reflection = db.select().from(reflections).where(eq(reflections.id, id)).get();
	if (!reflection || !canModerate(db, viewer, reflection))
		return { ok: false, message: '没有找到这篇心得体会，或您不能点评' };
	const text = body.trim();
	if (text.length < 2 || text.length > 1000) return { ok: false, message: '点评为 2–1000 字' };
	db.transaction((tx) => {
		tx.insert(reflectionComments)
			.values({ reflectionId: id, authorId: viewer.id, body: text, createdAt: now })
			.run();
		recordAudit(tx, viewer, {
			action: 'reflection.comment',
			officeId: reflection.officeId,
			target: { type: 'reflection', id },
			summary: `点评了 ${authorOf(tx, reflection)} 的心得《${reflection.title}》`,
			detail: { comment: text },
			at: now
		});
	});
	return { ok: true };
}

export function markExcellent(
	db: Db,
	viewer: AuditActor,
	id: number,
	excellent: boolean
): { ok: true } | { ok: false; message: string } {
	const reflection = db.select().from(reflections).where(eq(reflections.id, id)).get();
	if (!reflection || !canModerate(db, viewer, reflection))
		return { ok: false, message: '没有找到这篇心得体会，或您不能评优' };
	// Nothing changes, so nothing is logged (a repeated click or a stale page).
	if (reflection.excellent === excellent) return { ok: true };
	db.transaction((tx) => {
		tx.update(reflections).set({ excellent }).where(eq(reflections.id, id)).run();
		const what = `${authorOf(tx, reflection)} 的心得《${reflection.title}》`;
		recordAudit(tx, viewer, {
			action: excellent ? 'reflection.excellent' : 'reflection.unexcellent',
			officeId: reflection.officeId,
			target: { type: 'reflection', id },
			summary: excellent ? `将 ${what}评为优秀` : `取消了 ${what}的优秀`
		});
	});
	return { ok: true };
}

function authorOf(db: Queryable, reflection: Reflection): string {
	return db.select({ name: users.name }).from(users).where(eq(users.id, reflection.userId)).get()?.name ?? '';
}

const summary = {
	id: reflections.id,
	title: reflections.title,
	status: reflections.status,
	excellent: reflections.excellent,
	updatedAt: reflections.updatedAt,
	submittedAt: reflections.submittedAt,
	author: users.name
};

export function myReflections(db: Queryable, userId: number) {
	return db
		.select(summary)
		.from(reflections)
		.innerJoin(users, eq(users.id, reflections.userId))
		.where(eq(reflections.userId, userId))
		.orderBy(desc(reflections.updatedAt))
		.all();
}

/** Excellent reflections of an office, shown to all its members. */
export function excellentInOffice(db: Queryable, officeId: number | null) {
	if (!officeId) return [];
	return db
		.select(summary)
		.from(reflections)
		.innerJoin(users, eq(users.id, reflections.userId))
		.where(
			and(
				eq(reflections.officeId, officeId),
				eq(reflections.excellent, true),
				eq(reflections.status, 'submitted')
			)
		)
		.orderBy(desc(reflections.submittedAt))
		.all();
}

/** Submitted reflections of the offices an admin manages, newest first. */
export function officeReflections(db: Queryable, admin: Actor) {
	const scope = managedOfficeIds(db, admin);
	if (scope.length === 0) return [];
	return db
		.select(summary)
		.from(reflections)
		.innerJoin(users, eq(users.id, reflections.userId))
		.where(and(inArray(reflections.officeId, scope), eq(reflections.status, 'submitted')))
		.orderBy(desc(reflections.submittedAt))
		.all();
}
