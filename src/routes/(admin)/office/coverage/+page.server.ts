import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { dashboardScope, officeNeighbours } from '$lib/server/participation/scope';
import { officeCoverage } from '$lib/server/report';
import type { PageServerLoad } from './$types';

/**
 * 单位学习地图: the report's parts as the office's active cadres studied them, rolled up with the
 * offices below; scoped like 参学情况 (the admin's office or any office they manage).
 */
export const load: PageServerLoad = ({ locals, url }) => {
	const db = getDb();
	const scope = dashboardScope(db, locals.user!, url.searchParams);
	if (!scope) error(404, { message: '没有找到这个单位，或不在您的管理范围内' });
	const { members, parts } = officeCoverage(db, scope.officeIds);
	return {
		office: { id: scope.office.id, name: scope.office.name },
		...officeNeighbours(db, locals.user!, scope.office),
		members,
		parts: parts.map((p) => ({
			...p,
			learners: Math.round(p.studied * members),
			readers: Math.round(p.originalRead * members)
		}))
	};
};
