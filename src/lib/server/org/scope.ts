import type { Queryable } from '../db';
import { flattenTree, listOffices, managedOfficeIds, officeTree, type Actor } from './offices';

/** The offices an admin may pick from, as an indented list (depth relative to their top office). */
export function managedOfficeOptions(
	db: Queryable,
	actor: Actor
): { id: number; name: string; depth: number }[] {
	const scope = new Set(managedOfficeIds(db, actor));
	const flat = flattenTree(officeTree(listOffices(db))).filter((o) => scope.has(o.id));
	const top = Math.min(...flat.map((o) => o.depth));
	return flat.map((o) => ({ id: o.id, name: o.name, depth: o.depth - top }));
}
