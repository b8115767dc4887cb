import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '../db';
import { schools } from '../db/schema';
import { parseWith, type FieldErrors } from '../validation';
import { changesOf, recordAudit, type AuditActor } from '../audit';

export type School = typeof schools.$inferSelect;

export function listSchools(db: Queryable): School[] {
	return db.select().from(schools).orderBy(asc(schools.id)).all();
}

export function getSchool(db: Queryable, id: number): School | undefined {
	return db.select().from(schools).where(eq(schools.id, id)).get();
}

const schoolInput = z.object({
	name: z
		.string({ error: '请填写党校名称（至少 2 个字）' })
		.trim()
		.min(2, { error: '请填写党校名称（至少 2 个字）' })
		.max(40, { error: '党校名称不能超过 40 个字' })
});

export function saveSchool(
	db: Db,
	actor: AuditActor,
	input: Record<string, string>,
	id?: number
): { ok: true; id: number } | { ok: false; errors: FieldErrors } {
	const parsed = parseWith(schoolInput, input);
	if (!parsed.ok) return parsed;
	const same = db.select({ id: schools.id }).from(schools).where(eq(schools.name, parsed.data.name)).get();
	if (same && same.id !== id) return { ok: false, errors: { name: '已有同名党校' } };
	const name = parsed.data.name;
	if (id === undefined) {
		return db.transaction((tx) => {
			const newId = tx.insert(schools).values(parsed.data).returning({ id: schools.id }).get().id;
			recordAudit(tx, actor, {
				action: 'school.create',
				schoolId: newId,
				target: { type: 'school', id: newId },
				summary: `新建党校“${name}”`
			});
			return { ok: true as const, id: newId };
		});
	}
	const before = getSchool(db, id);
	if (!before) return { ok: false, errors: { _form: '没有找到这所党校' } };
	db.transaction((tx) => {
		tx.update(schools).set(parsed.data).where(eq(schools.id, id)).run();
		const changes = changesOf({ name: '名称' }, before, parsed.data);
		recordAudit(tx, actor, {
			action: 'school.update',
			schoolId: id,
			target: { type: 'school', id },
			summary: `修改党校“${name}”`,
			detail: { changes }
		});
	});
	return { ok: true, id };
}
