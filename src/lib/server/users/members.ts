import { and, asc, count, eq, inArray, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '../db';
import { likeContains } from '../db/like';
import { offices, users } from '../db/schema';
import { isMemberRole, type Role } from '../access';
import { canManageOffice, managedOfficeIds, type Actor } from '../org/offices';
import { generateTemporaryPassword, hashPassword } from '../auth/password';
import { invalidateUserSessions } from '../auth/session';
import { refreshEnrolments } from '../courses/enrol';
import { refreshExamCandidates } from '../exams/candidates';
import { PINYIN_ORDER, userNameFields } from './name-key';
import { field, parseWith, type FieldErrors } from '../validation';
import { recordAudit, type AuditActor } from '../audit';
import { accountChanges, accountLabel } from './describe';

export interface MemberRow {
	id: number;
	username: string;
	name: string;
	role: Role;
	title: string;
	phone: string;
	active: boolean;
	officeId: number | null;
	officeName: string | null;
}

export interface MemberQuery {
	q?: string;
	officeId?: number;
	status?: 'active' | 'inactive' | 'all';
	page?: number;
	pageSize?: number;
}

export const PAGE_SIZE = 20;

/** Members of the offices the actor manages, filtered and paginated. */
export function listMembers(
	db: Queryable,
	actor: Actor,
	query: MemberQuery
): { rows: MemberRow[]; total: number } {
	const scope = managedOfficeIds(db, actor);
	if (scope.length === 0) return { rows: [], total: 0 };
	const officeIds = query.officeId && scope.includes(query.officeId) ? [query.officeId] : scope;
	const conditions: SQL[] = [inArray(users.officeId, officeIds)];
	const status = query.status ?? 'active';
	if (status !== 'all') conditions.push(eq(users.active, status === 'active'));
	const q = query.q?.trim();
	if (q) {
		conditions.push(or(likeContains(users.name, q), likeContains(users.username, q)) as SQL);
	}
	const where = and(...conditions);
	const pageSize = query.pageSize ?? PAGE_SIZE;
	const page = Math.max(1, query.page ?? 1);
	const total = db.select({ n: count() }).from(users).where(where).get()?.n ?? 0;
	const rows = db
		.select({
			id: users.id,
			username: users.username,
			name: users.name,
			role: users.role,
			title: users.title,
			phone: users.phone,
			active: users.active,
			officeId: users.officeId,
			officeName: offices.name
		})
		.from(users)
		.leftJoin(offices, eq(offices.id, users.officeId))
		.where(where)
		.orderBy(asc(offices.sortOrder), ...PINYIN_ORDER)
		.limit(pageSize)
		.offset((page - 1) * pageSize)
		.all();
	return { rows, total };
}

export function getUser(db: Queryable, id: number) {
	return db.select().from(users).where(eq(users.id, id)).get();
}

export function usernameTaken(db: Queryable, username: string): boolean {
	return !!db.select({ id: users.id }).from(users).where(eq(users.username, username)).get();
}

const memberInput = z.object({
	name: field.name,
	username: field.username,
	officeId: field.id('所在单位'),
	title: field.title,
	phone: field.phone
});

/** The office a new member's form starts with: the admin's only office, when they manage just one. */
export function defaultOfficeId(db: Queryable, actor: Actor): number | null {
	const scope = managedOfficeIds(db, actor);
	return scope.length === 1 ? scope[0]! : null;
}

export type CreatedMember = { ok: true; id: number; username: string; temporaryPassword: string };

/** An office admin adds a cadre to one of their offices; returns a one-time password. */
export async function createMember(
	db: Db,
	actor: AuditActor,
	input: Record<string, string>
): Promise<CreatedMember | { ok: false; errors: FieldErrors }> {
	// With one office there is nothing to choose (the form preselects it; so does the server).
	const officeId = input.officeId || String(defaultOfficeId(db, actor) ?? '');
	const parsed = parseWith(memberInput, { ...input, officeId });
	if (!parsed.ok) return parsed;
	const data = parsed.data;
	if (!canManageOffice(db, actor, data.officeId)) {
		return { ok: false, errors: { officeId: '只能把成员加入您管理的单位' } };
	}
	if (usernameTaken(db, data.username)) return { ok: false, errors: { username: '该登录名已被使用' } };
	const temporaryPassword = generateTemporaryPassword();
	const passwordHash = await hashPassword(temporaryPassword);
	const id = db.transaction((tx) => {
		const row = tx
			.insert(users)
			.values({
				...data,
				...userNameFields(data.name),
				role: 'cadre',
				passwordHash,
				mustChangePassword: true
			})
			.returning({ id: users.id })
			.get();
		// Courses already assigned to the office reach the newcomer at once.
		refreshEnrolments(tx, row.id);
		refreshExamCandidates(tx, row.id, new Date());
		recordAudit(tx, actor, {
			action: 'account.create',
			officeId: data.officeId,
			target: { type: 'user', id: row.id },
			summary: `添加成员 ${accountLabel(data)}`
		});
		return row.id;
	});
	return { ok: true, id, username: data.username, temporaryPassword };
}

export type ActionResult = { ok: true } | { ok: false; message: string };

/** A user, if the actor manages them (their office is within the actor's scope); to anyone else they do not exist. */
export function managedMember(db: Queryable, actor: Actor, userId: number) {
	const user = getUser(db, userId);
	if (!user || !canManageOffice(db, actor, user.officeId)) return undefined;
	// An office admin manages cadres and fellow admins of their offices, never a sysadmin.
	if (user.role === 'sysadmin' && actor.role !== 'sysadmin') return undefined;
	return user;
}

/** A member as the edit form shows them, if the actor manages them (cadres and office admins only). */
export function memberForEdit(db: Queryable, actor: Actor, userId: number) {
	const user = managedMember(db, actor, userId);
	if (!user || !isMemberRole(user.role)) return undefined;
	return {
		id: user.id,
		username: user.username,
		name: user.name,
		role: user.role,
		title: user.title,
		phone: user.phone,
		officeId: user.officeId,
		active: user.active
	};
}

const memberEdit = z.object({
	name: field.name,
	officeId: field.id('所在单位'),
	title: field.title,
	phone: field.phone
});

export type EditResult = { ok: true } | { ok: false; missing: true } | { ok: false; errors: FieldErrors };

/**
 * An office admin corrects a member's name, 职务 or phone, or moves them to another office
 * they manage (their courses follow the move). Someone outside their offices is `missing`.
 */
export function updateMember(
	db: Db,
	actor: AuditActor,
	userId: number,
	input: Record<string, string>,
	now = new Date()
): EditResult {
	const user = memberForEdit(db, actor, userId);
	if (!user) return { ok: false, missing: true };
	const parsed = parseWith(memberEdit, input);
	if (!parsed.ok) return parsed;
	const d = parsed.data;
	const moved = d.officeId !== user.officeId;
	if (moved && !canManageOffice(db, actor, d.officeId))
		return { ok: false, errors: { officeId: '只能调到您管理的单位' } };
	// Moving oneself could take one's own office out of one's hands: the office above does that.
	if (moved && user.id === actor.id)
		return { ok: false, errors: { officeId: '不能调整自己的所在单位，请联系上级单位的管理员' } };
	db.transaction((tx) => {
		tx.update(users)
			.set({
				...userNameFields(d.name),
				title: d.title,
				phone: d.phone,
				officeId: d.officeId,
				updatedAt: now
			})
			.where(eq(users.id, userId))
			.run();
		if (moved) {
			refreshEnrolments(tx, userId, now);
			refreshExamCandidates(tx, userId, now);
		}
		recordAudit(tx, actor, {
			action: 'account.update',
			officeId: d.officeId,
			target: { type: 'user', id: userId },
			summary: `修改成员 ${accountLabel({ name: d.name, username: user.username })} 的信息`,
			detail: { changes: accountChanges(tx, user, d) },
			at: now
		});
	});
	return { ok: true };
}

/** Deactivating ends every session of the member at once. */
export function setMemberActive(db: Db, actor: AuditActor, userId: number, active: boolean): ActionResult {
	const user = managedMember(db, actor, userId);
	if (!user) return { ok: false, message: '没有找到这个成员，或不在您的管理范围内' };
	if (user.id === actor.id) return { ok: false, message: '不能停用自己的账号' };
	db.transaction((tx) => {
		tx.update(users).set({ active, updatedAt: new Date() }).where(eq(users.id, userId)).run();
		if (!active) invalidateUserSessions(tx, userId);
		else {
			refreshEnrolments(tx, userId);
			refreshExamCandidates(tx, userId, new Date());
		}
		recordAudit(tx, actor, {
			action: active ? 'account.reactivate' : 'account.deactivate',
			officeId: user.officeId,
			schoolId: user.schoolId,
			target: { type: 'user', id: userId },
			summary: `${active ? '恢复' : '停用'}账号 ${accountLabel(user)}`
		});
	});
	return { ok: true };
}

/** Issues a one-time password, shown once; the member must change it at next login. */
export async function resetMemberPassword(
	db: Db,
	actor: AuditActor,
	userId: number
): Promise<
	{ ok: true; username: string; name: string; temporaryPassword: string } | { ok: false; message: string }
> {
	const user = managedMember(db, actor, userId);
	if (!user) return { ok: false, message: '没有找到这个成员，或不在您的管理范围内' };
	const temporaryPassword = generateTemporaryPassword();
	const passwordHash = await hashPassword(temporaryPassword);
	db.transaction((tx) => {
		tx.update(users)
			.set({ passwordHash, mustChangePassword: true, updatedAt: new Date() })
			.where(eq(users.id, userId))
			.run();
		invalidateUserSessions(tx, userId);
		recordAudit(tx, actor, {
			action: 'account.reset_password',
			officeId: user.officeId,
			schoolId: user.schoolId,
			target: { type: 'user', id: userId },
			summary: `重置了 ${accountLabel(user)} 的密码（发放一次性密码）`
		});
	});
	return { ok: true, username: user.username, name: user.name, temporaryPassword };
}
