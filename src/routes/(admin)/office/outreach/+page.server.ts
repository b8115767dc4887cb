import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { dashboardScope, officeNeighbours } from '$lib/server/participation/scope';
import {
	outreachByOffice,
	periodTalks,
	QUICK_RANGE_LABELS,
	QUICK_RANGES,
	rangeParams,
	rangeLabel
} from '$lib/server/outreach';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 20;

/** 宣讲 of an office (with everything below it) in a range: figures, the roll-up by child office, the talks. */
export const load: PageServerLoad = ({ locals, url }) => {
	const db = getDb();
	const scope = dashboardScope(db, locals.user!, url.searchParams);
	if (!scope) error(404, { message: '没有找到这个单位，或不在您的管理范围内' });
	const range = rangeParams(url.searchParams);
	const rollUp = outreachByOffice(db, locals.user!, scope.office.id, range.from, range.to);
	if (!rollUp) error(404, { message: '没有找到这个单位，或不在您的管理范围内' });
	const talks = periodTalks(db, scope.officeIds, range.from, range.to, scope.page, PAGE_SIZE);
	return {
		office: { id: scope.office.id, name: scope.office.name },
		parentId: officeNeighbours(db, locals.user!, scope.office).parentId,
		range: { from: range.from, to: range.to, quick: range.quick, label: rangeLabel(range) },
		quickRanges: QUICK_RANGES.map((key) => ({ key, label: QUICK_RANGE_LABELS[key] })),
		total: rollUp.total,
		rows: rollUp.rows,
		talks: talks.rows,
		talkTotal: talks.total,
		page: scope.page,
		pageSize: PAGE_SIZE
	};
};
