import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { childOffices } from '$lib/server/org/offices';
import {
	COMPARE_METRIC_LABELS,
	compareWithTalks,
	type CompareMetric,
	type OfficeFigureWithTalks
} from '$lib/server/outreach';
import {
	csvStream,
	download,
	exportHeading,
	OFFICE_COLUMNS,
	xlsxStream,
	type Sheet
} from '$lib/server/participation/export';
import { dashboardScope } from '$lib/server/participation/scope';
import type { RequestHandler } from './$types';

/** The comparison's columns, then the offices' 宣讲 in the same period. */
const COLUMNS: Sheet<OfficeFigureWithTalks>['columns'] = [
	...OFFICE_COLUMNS,
	{ header: '宣讲场次', width: 10, value: (office) => office.outreach.talks },
	{ header: '每百名成员宣讲场次', width: 18, value: (office) => office.outreach.talksPer100 }
];

/** The comparison of the offices directly below the chosen one (default: the admin's own). */
export const GET: RequestHandler = ({ params, locals, url }) => {
	const db = getDb();
	const scope = dashboardScope(db, locals.user!, url.searchParams);
	if (!scope) error(404, { message: '没有找到这个单位，或不在您的管理范围内' });
	const metric =
		(Object.keys(COMPARE_METRIC_LABELS) as CompareMetric[]).find(
			(m) => m === url.searchParams.get('metric')
		) ?? 'participation';
	const children = childOffices(db, scope.office.id).map((o) => o.id);
	const now = new Date();
	const figures = compareWithTalks(
		db,
		children.length ? children : [scope.office.id],
		scope.kind,
		metric,
		now
	);
	const heading = exportHeading(
		{ title: `单位对比（按${COMPARE_METRIC_LABELS[metric]}）`, office: scope.office.name, kind: scope.kind },
		now
	);
	const sheet = {
		name: '单位对比',
		preamble: heading.preamble,
		columns: COLUMNS,
		pages: () => [figures]
	};
	return download(
		params.format === 'csv' ? csvStream(sheet) : xlsxStream(sheet),
		heading.fileName,
		params.format
	);
};
