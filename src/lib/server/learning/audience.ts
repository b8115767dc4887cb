import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db';
import { modules } from '../db/schema';
import { ancestorIds } from '../org/offices';

/** Whoever is looking at study content: a learner, or an admin picking modules. */
export interface Viewer {
	id: number;
	officeId: number | null;
}

/*
 * Who sees which module. Built-in modules (no owner) and party-school modules the school put in
 * the catalog are for everyone; an office's modules are for its own members and those of the
 * offices below it; a school's "courses only" modules (in_catalog = 0) reach exactly the people
 * actively enrolled in a course that uses them (any module of such a course, in fact). Archived
 * modules are seen by nobody. The rule is written twice, once for Drizzle (`visibleModule`) and
 * once as raw SQL for prepared statements (`visibleModuleSql`); tests/server/audience.test.ts
 * checks every reader of both against one permission matrix.
 */

/**
 * The condition (on `modules`) that a module is live and this viewer may study it.
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

/**
 * The same rule as raw SQL on the modules row aliased `alias`, for prepared statements: it takes
 * the named parameters `@offices` (the viewer's office and those above it, as a JSON array) and
 * `@userId`, which `audienceParams` gives.
 */
export function visibleModuleSql(alias: string): string {
	const m = alias;
	return `(${m}.archived_at IS NULL AND (
		(${m}.owner_office_id IS NULL AND (${m}.owner_school_id IS NULL OR ${m}.in_catalog = 1))
		OR ${m}.owner_office_id IN (SELECT value FROM json_each(@offices))
		OR ${m}.id IN (SELECT cm.module_id FROM course_modules cm
			JOIN enrolments e ON e.course_id = cm.course_id
			WHERE e.user_id = @userId AND e.active = 1)))`;
}

/** The parameters of `visibleModuleSql` for this viewer. */
export function audienceParams(db: Queryable, viewer: Viewer): { offices: string; userId: number } {
	return {
		offices: JSON.stringify(viewer.officeId ? ancestorIds(db, viewer.officeId) : []),
		userId: viewer.id
	};
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

/**
 * Whose module list an admin picks from:
 * - a party school building a course: built-in modules, every school's catalog modules, and all
 *   of its own school's modules (its "courses only" ones included); never an office's modules;
 * - an office scheduling collective study or a live quiz: what its members may see in the
 *   catalog (built-in, schools' catalog modules, modules of the office or an office above it).
 */
export type ModulePicker =
	{ kind: 'school'; schoolId: number | null } | { kind: 'office'; officeId: number | null };

/** The condition (on `modules`) that a module is live and in this picker's list. */
export function pickableModule(db: Queryable, picker: ModulePicker): SQL {
	let own: SQL = sql`0`;
	if (picker.kind === 'school' && picker.schoolId) own = sql`${modules.ownerSchoolId} = ${picker.schoolId}`;
	if (picker.kind === 'office' && picker.officeId) {
		own = sql`${modules.ownerOfficeId} IN ${ancestorIds(db, picker.officeId)}`;
	}
	return sql`(${modules.archivedAt} IS NULL AND (
		(${modules.ownerOfficeId} IS NULL AND (${modules.ownerSchoolId} IS NULL OR ${modules.inCatalog} = 1))
		OR ${own}))`;
}
