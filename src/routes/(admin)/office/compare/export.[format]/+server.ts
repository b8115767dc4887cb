import { error } from '@sveltejs/kit';
import { asc, eq } from 'drizzle-orm';
import { getDb } from '$lib/server/db';
import { offices } from '$lib/server/db/schema';
import { compareOffices, METRIC_LABELS, type Metric } from '$lib/server/points/compare';
import { csvStream, download, OFFICE_COLUMNS, xlsxStream } from '$lib/server/participation/export';
import { dashboardScope } from '$lib/server/participation/scope';
import { PERIOD_LABELS } from '$lib/server/points/periods';
import type { RequestHandler } from './$types';

/** The comparison of the offices directly below the chosen one (default: the admin's own). */
export const GET: RequestHandler = ({ params, locals, url }) => {
	if (params.format !== 'csv' && params.format !== 'xlsx') error(404, { message: '没有这种导出格式' });
	const db = getDb();
	const scope = dashboardScope(db, locals.user!, url.searchParams);
	if (!scope) error(404, { message: '没有这个单位，或不在您的管理范围内' });
	const metric = (Object.keys(METRIC_LABELS) as Metric[]).find((m) => m === url.searchParams.get('metric')) ?? 'participation';
	const children = db.select({ id: offices.id }).from(offices).where(eq(offices.parentId, scope.office.id)).orderBy(asc(offices.sortOrder)).all().map((o) => o.id);
	const figures = compareOffices(db, children.length ? children : [scope.office.id], scope.kind, metric);
	const sheet = { name: '单位对比', columns: OFFICE_COLUMNS, pages: () => [figures] };
	const name = `${scope.office.name}-单位对比-${METRIC_LABELS[metric]}-${PERIOD_LABELS[scope.kind]}`;
	return download(params.format === 'csv' ? csvStream(sheet) : xlsxStream(sheet), name, params.format);
};
