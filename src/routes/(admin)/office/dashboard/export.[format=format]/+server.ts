import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import {
	csvStream,
	download,
	exportHeading,
	memberQueryLines,
	memberSheet,
	xlsxStream
} from '$lib/server/participation/export';
import { dashboardScope } from '$lib/server/participation/scope';
import type { RequestHandler } from './$types';

/** The member table as it is on screen (office, period, filters and sort), every page of it. */
export const GET: RequestHandler = ({ params, locals, url }) => {
	const db = getDb();
	const scope = dashboardScope(db, locals.user!, url.searchParams);
	if (!scope) error(404, { message: '没有找到这个单位，或不在您的管理范围内' });
	const now = new Date();
	const heading = exportHeading(
		{ title: '成员参学情况', office: scope.office.name, kind: scope.kind, lines: memberQueryLines(scope) },
		now
	);
	const sheet = memberSheet(db, scope.officeIds, scope, now, heading.preamble);
	return download(
		params.format === 'csv' ? csvStream(sheet) : xlsxStream(sheet),
		heading.fileName,
		params.format
	);
};
