import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { hostedLive, results } from '$lib/server/live';
import { getOffice } from '$lib/server/org/offices';
import { csvStream, download, exportHeading, LIVE_RESULT_COLUMNS } from '$lib/server/participation/export';
import { dateTimeLabel } from '$lib/format';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params, locals }) => {
	const db = getDb();
	const live = hostedLive(db, locals.user!, Number(params.id));
	if (!live) error(404, { message: '没有找到这场现场答题，或不在您的管理范围内' });
	const rows = results(db, live.id);
	const heading = exportHeading({
		title: `现场答题成绩-${live.title}`,
		office: getOffice(db, live.officeId)?.name ?? '',
		lines: [`答题时间：${dateTimeLabel(live.createdAt)}（北京时间）`]
	});
	const sheet = {
		name: '现场答题成绩',
		preamble: heading.preamble,
		columns: LIVE_RESULT_COLUMNS,
		pages: () => [rows]
	};
	return download(csvStream(sheet), heading.fileName, 'csv');
};
