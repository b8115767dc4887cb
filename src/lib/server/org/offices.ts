import { asc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '../db';
import { offices, users } from '../db/schema';
import type { Role } from '../access';
import { parseWith, type FieldErrors } from '../validation';
import { changesOf, recordAudit, type AuditActor } from '../audit';
import { orgStatements } from './statements';

export type Office = typeof offices.$inferSelect;
export interface OfficeNode extends Office {
	children: OfficeNode[];
	depth: number;
}

export function listOffices(db: Queryable): Office[] {
	return db.select().from(offices).orderBy(asc(offices.sortOrder), asc(offices.id)).all();
}

/** One office; prepared, since the board, dashboard and guard pages all ask on every request. */
export function getOffice(db: Queryable, id: number): Office | undefined {
	return orgStatements(db).office.get({ id });
}

/** Roots first, children under their parent, in sort order. */
export function officeTree(list: Office[]): OfficeNode[] {
	const byParent = new Map<number | null, Office[]>();
	for (const o of list) {
		const siblings = byParent.get(o.parentId) ?? [];
		siblings.push(o);
		byParent.set(o.parentId, siblings);
	}
	const build = (parentId: number | null, depth: number): OfficeNode[] =>
		(byParent.get(parentId) ?? []).map((o) => ({ ...o, depth, children: build(o.id, depth + 1) }));
	return build(null, 0);
}

/** The tree flattened depth-first: for select boxes and indented lists. */
export function flattenTree(nodes: OfficeNode[]): OfficeNode[] {
	return nodes.flatMap((n) => [n, ...flattenTree(n.children)]);
}

/** An office and all offices below it. */
export function descendantIds(db: Queryable, officeId: number): number[] {
	// Prepared: every admin page asks (the access check and the dashboard's roll-up).
	return orgStatements(db).descendantIds.all(officeId);
}

/** The offices an office belongs to: itself first, then upwards to the root. */
export function ancestorIds(db: Queryable, officeId: number): number[] {
	return orgStatements(db).ancestorIds.all(officeId);
}

/** The offices directly under one, in their display order. */
export function childOffices(db: Queryable, officeId: number): { id: number; name: string }[] {
	return orgStatements(db).children.all({ parentId: officeId });
}

/** The top of the tree (the first office without a parent). */
export function rootOffice(db: Queryable): Office | undefined {
	return db.select().from(offices).where(isNull(offices.parentId)).orderBy(asc(offices.id)).get();
}

/** Where a user belongs now (for scope checks and points), without anything else of the account. */
export function userOffice(
	db: Queryable,
	userId: number
): { id: number; officeId: number | null } | undefined {
	// Prepared: every quiz submission asks.
	return orgStatements(db).userOffice.get({ userId });
}

export interface Actor {
	id: number;
	role: Role;
	officeId: number | null;
}

/**
 * Offices an actor administers: a sysadmin all of them, an office admin their
 * own office and its descendants, everyone else none.
 */
export function managedOfficeIds(db: Queryable, actor: Actor): number[] {
	if (actor.role === 'sysadmin') return listOffices(db).map((o) => o.id);
	if (actor.role === 'office_admin' && actor.officeId) return descendantIds(db, actor.officeId);
	return [];
}

export function canManageOffice(db: Queryable, actor: Actor, officeId: number | null): boolean {
	if (officeId === null) return actor.role === 'sysadmin';
	return managedOfficeIds(db, actor).includes(officeId);
}

const officeInput = z.object({
	name: z
		.string({ error: '请填写单位名称（至少 2 个字）' })
		.trim()
		.min(2, { error: '请填写单位名称（至少 2 个字）' })
		.max(40, { error: '单位名称不能超过 40 个字' }),
	code: z
		.string({ error: '请填写单位代码' })
		.trim()
		.toLowerCase()
		.regex(/^[a-z][a-z0-9]{1,19}$/, {
			error: '单位代码为 2–20 位小写字母或数字，以字母开头（用作登录名前缀）'
		}),
	parentId: z
		.string({ error: '请选择上级单位' })
		.optional()
		.transform((v) => (v ? Number(v) : null))
		.refine((v) => v === null || (Number.isInteger(v) && v > 0), { error: '请选择上级单位' }),
	sortOrder: z.coerce
		.number({ error: '排序须为整数' })
		.int({ error: '排序须为整数' })
		.min(0, { error: '排序为 0–9999 的整数' })
		.max(9999, { error: '排序为 0–9999 的整数' })
		.default(0)
});

export type OfficeResult = { ok: true; id: number } | { ok: false; errors: FieldErrors };

/** Creates (id omitted) or edits an office; refuses duplicates and loops in the tree. */
export function saveOffice(
	db: Db,
	actor: AuditActor,
	input: Record<string, string>,
	id?: number
): OfficeResult {
	const parsed = parseWith(officeInput, input);
	if (!parsed.ok) return parsed;
	const data = parsed.data;
	const errors: FieldErrors = {};
	const sameName = db.select({ id: offices.id }).from(offices).where(eq(offices.name, data.name)).get();
	if (sameName && sameName.id !== id) errors.name = '已有同名单位';
	const sameCode = db.select({ id: offices.id }).from(offices).where(eq(offices.code, data.code)).get();
	if (sameCode && sameCode.id !== id) errors.code = '单位代码已被使用';
	if (data.parentId !== null) {
		if (!getOffice(db, data.parentId)) errors.parentId = '上级单位不存在';
		else if (id !== undefined && descendantIds(db, id).includes(data.parentId)) {
			errors.parentId = '上级单位不能是本单位或其下级单位';
		}
	}
	if (Object.keys(errors).length) return { ok: false, errors };
	if (id === undefined) {
		return db.transaction((tx) => {
			const row = tx.insert(offices).values(data).returning({ id: offices.id }).get();
			recordAudit(tx, actor, {
				action: 'office.create',
				officeId: row.id,
				target: { type: 'office', id: row.id },
				summary: `新建单位“${data.name}”（代码 ${data.code}）`
			});
			return { ok: true as const, id: row.id };
		});
	}
	const before = getOffice(db, id);
	if (!before) return { ok: false, errors: { _form: '没有找到这个单位' } };
	db.transaction((tx) => {
		tx.update(offices).set(data).where(eq(offices.id, id)).run();
		const parentName = (parentId: number | null) =>
			parentId === null ? '（无）' : (getOffice(tx, parentId)?.name ?? String(parentId));
		const changes = changesOf(
			{ name: '名称', code: '代码', parent: '上级单位', sortOrder: '排序' },
			{ ...before, parent: parentName(before.parentId) },
			{ ...data, parent: parentName(data.parentId) }
		);
		recordAudit(tx, actor, {
			action: 'office.update',
			officeId: id,
			target: { type: 'office', id },
			summary: `修改单位“${data.name}”`,
			detail: { changes }
		});
	});
	return { ok: true, id };
}

/** Active members per office, for the admin lists. */
export function memberCounts(db: Queryable): Map<number, number> {
	const rows = db
		.select({ officeId: users.officeId, n: sql<number>`count(*)` })
		.from(users)
		.where(eq(users.active, true))
		.groupBy(users.officeId)
		.all();
	return new Map(
		rows.filter((group) => group.officeId !== null).map((group) => [group.officeId as number, group.n])
	);
}
