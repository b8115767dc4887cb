import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { dailyActive, headline, memberTable } from '$lib/server/participation/dashboard';
import { dashboardScope, officeNeighbours } from '$lib/server/participation/scope';
import { hardPoints } from '$lib/server/quiz/overview';
import { PERIOD_LABELS } from '$lib/server/points/periods';
import { outreachHeadline, periodRange, recentTalks } from '$lib/server/outreach';
import { Rows } from '$lib/rows';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 20;

export const load: PageServerLoad = ({ locals, url }) => {
	const db = getDb();
	const scope = dashboardScope(db, locals.user!, url.searchParams);
	if (!scope) error(404, { message: '没有找到这个单位，或不在您的管理范围内' });
	const figures = headline(db, scope.officeIds, scope.kind);
	const range = periodRange(scope.kind);
	const table = memberTable(db, scope.officeIds, { ...scope, pageSize: PAGE_SIZE, members: figures.members });
	return {
		office: { id: scope.office.id, name: scope.office.name },
		...officeNeighbours(db, locals.user!, scope.office),
		filters: {
			period: scope.kind,
			q: scope.q,
			status: scope.status,
			sort: scope.sort,
			dir: scope.desc ? 'desc' : 'asc'
		},
		periods: Object.entries(PERIOD_LABELS).map(([key, label]) => ({ key, label })),
		headline: figures,
		chart: dailyActive(db, scope.officeIds, 90),
		members: new Rows(table.rows),
		total: table.total,
		page: scope.page,
		pageSize: PAGE_SIZE,
		hard: hardPoints(db, scope.officeIds).slice(0, 10),
		// 宣讲 of the period (talks count by their day) and the latest talks with a photo each.
		outreach: {
			...outreachHeadline(db, scope.officeIds, range.from, range.to),
			from: range.from,
			to: range.to,
			recent: recentTalks(db, scope.officeIds, 5)
		}
	};
};
