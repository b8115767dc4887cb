import { and, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Queryable } from '../db';
import { offices, users } from '../db/schema';
import { MEMBER_ROLES } from '../access';
import { accountLabel } from '../users/describe';
import { ancestorIds, descendantIds } from './offices';

// Who an assignment covers, for courses and exams alike: an office (with or without the
// offices below it) or one named person.

/** The columns an assignments table names its target with. */
export interface AssignmentColumns {
	userId: SQLiteColumn;
	officeId: SQLiteColumn;
	includeDescendants: SQLiteColumn;
}

/**
 * The condition for the assignments that reach this user: made to them by name, to their
 * office, or to an office above it with its descendants.
 */
export function reachesUser(
	db: Queryable,
	columns: AssignmentColumns,
	user: { id: number; officeId: number | null }
): SQL {
	const conditions: SQL[] = [eq(columns.userId, user.id)];
	if (user.officeId) {
		conditions.push(eq(columns.officeId, user.officeId));
		const chain = ancestorIds(db, user.officeId);
		if (chain.length > 1)
			conditions.push(and(inArray(columns.officeId, chain.slice(1)), eq(columns.includeDescendants, true))!);
	}
	return or(...conditions)!;
}

/** The active members of these offices (and of the offices below them, with descendants). */
export function membersReached(
	db: Queryable,
	officeIds: number[],
	includeDescendants: boolean
): { id: number; officeId: number | null }[] {
	const reached = officeIds.flatMap((id) => (includeDescendants ? descendantIds(db, id) : [id]));
	if (reached.length === 0) return [];
	return db
		.select({ id: users.id, officeId: users.officeId })
		.from(users)
		.where(
			and(inArray(users.officeId, reached), eq(users.active, true), inArray(users.role, [...MEMBER_ROLES]))
		)
		.all();
}

/** Whom an assignment was made to, as an audit row names it, and the office whose admins see that row. */
export function assigneeOf(
	db: Queryable,
	a: { officeId: number | null; userId: number | null }
): { label: string; officeId: number | null } {
	const person = a.userId
		? db
				.select({ name: users.name, username: users.username, officeId: users.officeId })
				.from(users)
				.where(eq(users.id, a.userId))
				.get()
		: undefined;
	const office = a.officeId
		? db.select({ name: offices.name }).from(offices).where(eq(offices.id, a.officeId)).get()
		: undefined;
	return {
		label: office?.name ?? (person ? accountLabel(person) : ''),
		officeId: a.officeId ?? person?.officeId ?? null
	};
}
