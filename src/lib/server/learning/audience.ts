import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db';
import { modules } from '../db/schema';
import { ancestorIds } from '../org/offices';

/** Whoever is looking at study content: a learner, or an admin picking modules. */
export interface Viewer {
	id: number;
	officeId: number | null;
}

/**
 * The condition (on `modules`) that a module is live and this viewer may study it:
 * - built-in modules (no owner), and party-school modules the school put in the catalog;
 * - modules of the viewer's office or an office above it (an office writes for itself and
 *   its descendants);
 * - any module of a course the viewer is actively enrolled in (a school's "courses only" modules).
 * Every learner-facing read of modules, lessons, questions and media goes through it.
 */
export function visibleModule(db: Queryable, viewer: Viewer): SQL {
	const offices = viewer.officeId ? ancestorIds(db, viewer.officeId) : [];
	const ownOffices = offices.length ? sql`${modules.ownerOfficeId} IN ${offices}` : sql`0`;
	return sql`(${modules.archivedAt} IS NULL AND (
		(${modules.ownerOfficeId} IS NULL AND (${modules.ownerSchoolId} IS NULL OR ${modules.inCatalog} = 1))
		OR ${ownOffices}
		OR ${modules.id} IN (SELECT cm.module_id FROM course_modules cm
			JOIN enrolments e ON e.course_id = cm.course_id
			WHERE e.user_id = ${viewer.id} AND e.active = 1)))`;
}

/** Whether the viewer may study this module (live and in their audience). */
export function canSeeModule(db: Queryable, viewer: Viewer, moduleId: number): boolean {
	return Boolean(
		db
			.select({ id: modules.id })
			.from(modules)
			.where(sql`${modules.id} = ${moduleId} AND ${visibleModule(db, viewer)}`)
			.get()
	);
}
