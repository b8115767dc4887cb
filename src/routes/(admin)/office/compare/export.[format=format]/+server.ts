import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { childOffices } from '$lib/server/org/offices';
import { compareOffices, METRIC_LABELS, type Metric } from '$lib/server/points/compare';
import {
	csvStream,
	download,
	exportHeading,
	OFFICE_COLUMNS,
	xlsxStream
} from '$lib/server/participation/export';
import { dashboardScope } from '$lib/server/participation/scope';
import type { RequestHandler } from './$types';

/** The comparison of the offices directly below the chosen one (default: the admin's own). */
export const GET: RequestHandler = ({ params, locals, url }) => {
	const db = getDb();
	const scope = dashboardScope(db, locals.user!, url.searchParams);
	if (!scope) error(404, { message: '没有找到这个单位，或不在您的管理范围内' });
	const metric =
		(Object.keys(METRIC_LABELS) as Metric[]).find((m) => m === url.searchParams.get('metric')) ??
		'participation';
	const children = childOffices(db, scope.office.id).map((o) => o.id);
	const now = new Date();
	const figures = compareOffices(db, children.length ? children : [scope.office.id], scope.kind, metric, now);
	const heading = exportHeading(
		{ title: `单位对比（按${METRIC_LABELS[metric]}）`, office: scope.office.name, kind: scope.kind },
		now
	);
	const sheet = {
		name: '单位对比',
		preamble: heading.preamble,
		columns: OFFICE_COLUMNS,
		pages: () => [figures]
	};
	return download(
		params.format === 'csv' ? csvStream(sheet) : xlsxStream(sheet),
		heading.fileName,
		params.format
	);
};
