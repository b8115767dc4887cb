import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { csvStream, download, memberSheet, xlsxStream } from '$lib/server/participation/export';
import { dashboardScope } from '$lib/server/participation/scope';
import { PERIOD_LABELS } from '$lib/server/points/periods';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params, locals, url }) => {
	if (params.format !== 'csv' && params.format !== 'xlsx') error(404, { message: '没有这种导出格式' });
	const db = getDb();
	const scope = dashboardScope(db, locals.user!, url.searchParams);
	if (!scope) error(404, { message: '没有这个单位，或不在您的管理范围内' });
	const sheet = memberSheet(db, scope.officeIds, scope);
	const name = `${scope.office.name}-成员参学情况-${PERIOD_LABELS[scope.kind]}`;
	return download(params.format === 'csv' ? csvStream(sheet) : xlsxStream(sheet), name, params.format);
};
