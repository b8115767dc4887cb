import { eq, max } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '../db';
import { themes } from '../db/schema';
import { recordAudit, type AuditActor } from '../audit';
import { parseWith } from '../validation';
import { listThemes } from '../learning/catalog';
import type { Owner } from './owner';
import { actorOwner, formError } from './store';
import type { Result } from './types';

/** Themes an author may choose: every live theme, the pack's first, then those schools added. */
export function themeOptions(db: Queryable, _owner: Owner): { id: number; name: string }[] {
	return listThemes(db).map(({ id, name }) => ({ id, name }));
}

const themeName = z
	.string({ error: '请填写主题名称（2–20 个字）' })
	.trim()
	.min(2, { error: '请填写主题名称（2–20 个字）' })
	.max(20, { error: '主题名称不能超过 20 个字' });

/** A party school adds a theme for everyone's modules; offices choose among the existing ones. */
export function createTheme(db: Db, actor: AuditActor, name: string): Result<{ id: number }> {
	const owner = actorOwner(actor);
	if (owner?.kind !== 'school') return formError('只有党校管理员可以新建主题');
	const parsed = parseWith(z.object({ name: themeName }), { name });
	if (!parsed.ok) return parsed;
	const { schoolId } = owner;
	return db.transaction((tx): Result<{ id: number }> => {
		const same = tx.select({ id: themes.id }).from(themes).where(eq(themes.name, parsed.data.name)).get();
		if (same) return { ok: false, errors: { name: '已有同名主题' } };
		const last =
			tx
				.select({ order: max(themes.sortOrder) })
				.from(themes)
				.get()?.order ?? 0;
		const row = tx
			.insert(themes)
			.values({
				slug: newSlug(tx, schoolId),
				name: parsed.data.name,
				sortOrder: last + 1,
				ownerSchoolId: schoolId
			})
			.returning({ id: themes.id })
			.get();
		recordAudit(tx, actor, {
			action: 'theme.create',
			schoolId,
			target: { type: 'theme', id: row.id },
			summary: `新建主题“${parsed.data.name}”`
		});
		return { ok: true, id: row.id };
	});
}

/** `school<id>-<n>`: apart from the pack's slugs (words), unique among the school's themes. */
function newSlug(db: Queryable, schoolId: number): string {
	for (let n = 1; ; n++) {
		const slug = `school${schoolId}-${n}`;
		if (!db.select({ id: themes.id }).from(themes).where(eq(themes.slug, slug)).get()) return slug;
	}
}
