import { and, count, eq, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '../db';
import { likeContains } from '../db/like';
import { offices, schools, users } from '../db/schema';
import { generateTemporaryPassword, hashPassword } from '../auth/password';
import { field, parseWith, type FieldErrors } from '../validation';
import { getUser, PAGE_SIZE, type MemberRow } from './members';
import { refreshEnrolments } from '../courses/enrol';
import { refreshExamCandidates } from '../exams/candidates';
import { PINYIN_ORDER, userNameFields } from './name-key';
import { recordAudit, type AuditActor } from '../audit';
import { isMemberRole, ROLE_LABELS, ROLES, type Role } from '../access';
import { accountChanges, accountLabel } from './describe';

// The sysadmin's view of every account, whatever its role or office.

export interface AccountQuery {
	q?: string;
	role?: Role;
	status?: 'active' | 'inactive' | 'all';
	page?: number;
}

export function listAccounts(
	db: Queryable,
	query: AccountQuery
): { rows: (MemberRow & { schoolName: string | null })[]; total: number } {
	const conditions: SQL[] = [];
	if (query.role) conditions.push(eq(users.role, query.role));
	if (query.status && query.status !== 'all') conditions.push(eq(users.active, query.status === 'active'));
	const q = query.q?.trim();
	if (q) {
		conditions.push(or(likeContains(users.name, q), likeContains(users.username, q)) as SQL);
	}
	const where = conditions.length ? and(...conditions) : undefined;
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
			officeName: offices.name,
			schoolName: schools.name
		})
		.from(users)
		.leftJoin(offices, eq(offices.id, users.officeId))
		.leftJoin(schools, eq(schools.id, users.schoolId))
		.where(where)
		.orderBy(...PINYIN_ORDER)
		.limit(PAGE_SIZE)
		.offset((page - 1) * PAGE_SIZE)
		.all();
	return { rows, total };
}

/** A list choice that may be left empty ('' → null); anything else must be an id. */
const optionalId = (what: string) =>
	z
		.string({ error: `请选择${what}` })
		.optional()
		.transform((v) => (v ? Number(v) : null))
		.refine((v) => v === null || (Number.isInteger(v) && v > 0), { error: `请选择${what}` });

const accountInput = z
	.object({
		name: field.name,
		username: field.username,
		role: z.enum(ROLES, { error: '请选择角色' }),
		officeId: optionalId('所属单位'),
		schoolId: optionalId('所属党校'),
		title: field.title,
		phone: field.phone
	})
	.superRefine((v, ctx) => {
		if (isMemberRole(v.role) && !v.officeId) {
			ctx.addIssue({ code: 'custom', path: ['officeId'], message: '学员和单位管理员须选择所属单位' });
		}
		if (v.role === 'school_admin' && !v.schoolId) {
			ctx.addIssue({ code: 'custom', path: ['schoolId'], message: '党校管理员须选择所属党校' });
		}
	});

/**
 * The sysadmin creates (id omitted) or edits any account. A new account gets a
 * one-time password. A school admin belongs to no office; other roles to no school.
 */
export async function saveAccount(
	db: Db,
	actor: AuditActor,
	input: Record<string, string>,
	id?: number
): Promise<{ ok: true; id: number; temporaryPassword?: string } | { ok: false; errors: FieldErrors }> {
	const parsed = parseWith(accountInput, input);
	if (!parsed.ok) return parsed;
	const values = accountValues(parsed.data);
	const errors = accountConflicts(db, values, id);
	if (Object.keys(errors).length) return { ok: false, errors };
	if (id === undefined) return createAccount(db, actor, values);
	const before = getUser(db, id);
	if (!before) return { ok: false, errors: { _form: '没有找到这个账号' } };
	updateAccount(db, actor, id, before, values);
	return { ok: true, id };
}

type AccountValues = ReturnType<typeof accountValues>;

/** The columns to write: an office only for members, a school only for school admins. */
function accountValues(input: z.infer<typeof accountInput>) {
	return {
		name: input.name,
		username: input.username,
		role: input.role,
		officeId: isMemberRole(input.role) ? input.officeId : null,
		schoolId: input.role === 'school_admin' ? input.schoolId : null,
		title: input.title,
		phone: input.phone
	};
}

/** What the database refuses: a login name taken by another account, an office or school that does not exist. */
function accountConflicts(db: Queryable, values: AccountValues, id: number | undefined): FieldErrors {
	const errors: FieldErrors = {};
	const holder = db.select({ id: users.id }).from(users).where(eq(users.username, values.username)).get();
	if (holder && holder.id !== id) errors.username = '该登录名已被使用';
	if (
		values.officeId &&
		!db.select({ id: offices.id }).from(offices).where(eq(offices.id, values.officeId)).get()
	) {
		errors.officeId = '所选单位不存在';
	}
	if (
		values.schoolId &&
		!db.select({ id: schools.id }).from(schools).where(eq(schools.id, values.schoolId)).get()
	) {
		errors.schoolId = '所选党校不存在';
	}
	return errors;
}

async function createAccount(
	db: Db,
	actor: AuditActor,
	values: AccountValues
): Promise<{ ok: true; id: number; temporaryPassword: string }> {
	const temporaryPassword = generateTemporaryPassword();
	// Hashed first: argon2 is asynchronous, and a better-sqlite3 transaction cannot await.
	const passwordHash = await hashPassword(temporaryPassword);
	const newId = db.transaction((tx) => {
		const row = tx
			.insert(users)
			.values({ ...values, ...userNameFields(values.name), passwordHash, mustChangePassword: true })
			.returning({ id: users.id })
			.get();
		refreshEnrolments(tx, row.id);
		refreshExamCandidates(tx, row.id, new Date());
		recordAudit(tx, actor, {
			action: 'account.create',
			officeId: values.officeId,
			schoolId: values.schoolId,
			target: { type: 'user', id: row.id },
			summary: `创建${ROLE_LABELS[values.role]}账号 ${accountLabel(values)}`
		});
		return row.id;
	});
	return { ok: true, id: newId, temporaryPassword };
}

function updateAccount(
	db: Db,
	actor: AuditActor,
	id: number,
	before: NonNullable<ReturnType<typeof getUser>>,
	values: AccountValues
): void {
	db.transaction((tx) => {
		tx.update(users)
			.set({ ...values, ...userNameFields(values.name), updatedAt: new Date() })
			.where(eq(users.id, id))
			.run();
		// A move to another office changes which assigned courses reach the user.
		refreshEnrolments(tx, id);
		refreshExamCandidates(tx, id, new Date());
		recordAudit(tx, actor, {
			action: 'account.update',
			officeId: values.officeId ?? before.officeId,
			schoolId: values.schoolId ?? before.schoolId,
			target: { type: 'user', id },
			summary: `修改账号 ${accountLabel(values)}`,
			detail: { changes: accountChanges(tx, before, values) }
		});
	});
}
