import type { Queryable } from '../db';
import {
	canManageOffice,
	childOffices,
	descendantIds,
	getOffice,
	managedOfficeIds,
	type Actor
} from '../org/offices';
import { PERIOD_LABELS, type PeriodKind } from '../points/periods';
import { MEMBER_SORTS, MEMBER_STATUSES, type MemberSort, type MemberStatus } from './dashboard';
import { pageParam } from '../paging';

const KINDS = Object.keys(PERIOD_LABELS) as PeriodKind[];

/**
 * The office a dashboard or export looks at (the admin's own by default, or any
 * office they manage), rolled up with everything below it, plus the shared
 * filters from the query string. Null when the office is outside their scope.
 */
export function dashboardScope(db: Queryable, actor: Actor, params: URLSearchParams) {
	const managed = managedOfficeIds(db, actor);
	const requested = Number(params.get('office')) || actor.officeId || managed[0];
	if (!requested || !managed.includes(requested)) return null;
	const office = getOffice(db, requested);
	if (!office) return null;
	const page = pageParam(params);
	return {
		office,
		officeIds: descendantIds(db, office.id),
		kind: KINDS.find((k) => k === params.get('period')) ?? ('month' as PeriodKind),
		q: (params.get('q') ?? '').trim().slice(0, 30),
		status: MEMBER_STATUSES.find((s) => s === params.get('status')) ?? ('all' as MemberStatus),
		sort: MEMBER_SORTS.find((s) => s === params.get('sort')) ?? ('points' as MemberSort),
		desc: params.get('dir') !== 'asc',
		page
	};
}

/**
 * The way down and up from the office a dashboard page looks at: the offices right below it, and
 * its parent only when the admin manages the parent too.
 */
export function officeNeighbours(
	db: Queryable,
	actor: Actor,
	office: { id: number; parentId: number | null }
) {
	return {
		children: childOffices(db, office.id),
		parentId: office.parentId && canManageOffice(db, actor, office.parentId) ? office.parentId : null
	};
}
