import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { modules, themes } from '../db/schema';
import type { Owner } from './owner';

/** A live module an author may copy into a new draft of their own (copyModule). */
export interface CopyableModule {
	id: number;
	title: string;
	themeName: string;
	lessonCount: number;
	questionCount: number;
	/** Built-in (系统内容, from content/) rather than one of the author's own live modules. */
	builtIn: boolean;
}

/**
 * What 复制 offers: every live built-in module (no owner), then the owner's own live modules,
 * each in catalogue order, with its live lesson and question counts.
 */
export function copyableModules(db: Queryable, owner: Owner): CopyableModule[] {
	const own =
		owner.kind === 'school'
			? eq(modules.ownerSchoolId, owner.schoolId)
			: eq(modules.ownerOfficeId, owner.officeId);
	const builtIn = sql`(${modules.ownerSchoolId} IS NULL AND ${modules.ownerOfficeId} IS NULL)`;
	return db
		.select({
			id: modules.id,
			title: modules.title,
			themeName: themes.name,
			lessonCount: sql<number>`(SELECT count(*) FROM lessons l WHERE l.module_id = ${modules.id} AND l.archived_at IS NULL)`,
			questionCount: sql<number>`(SELECT count(*) FROM questions q WHERE q.module_id = ${modules.id} AND q.archived_at IS NULL)`,
			builtIn: sql<number>`${builtIn}`
		})
		.from(modules)
		.innerJoin(themes, eq(themes.id, modules.themeId))
		.where(and(isNull(modules.archivedAt), or(builtIn, own)))
		.orderBy(sql`${builtIn} DESC`, asc(modules.sortOrder), asc(modules.id))
		.all()
		.map((row) => ({ ...row, builtIn: row.builtIn === 1 }));
}
