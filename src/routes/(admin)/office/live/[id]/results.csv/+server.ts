import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { canHost, getLive, results } from '$lib/server/live';
import { csvStream, download } from '$lib/server/participation/export';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params, locals }) => {
	const db = getDb();
	const live = getLive(db, Number(params.id));
	if (!live || !canHost(db, locals.user!, live)) error(404, { message: '没有这场现场答题' });
	const rows = results(db, live.id);
	const sheet = {
		name: '现场答题成绩',
		columns: [
			{ header: '名次', width: 6, value: (r: (typeof rows)[number]) => r.rank ?? '' },
			{ header: '姓名', width: 12, value: (r: (typeof rows)[number]) => r.name },
			{ header: '登录名', width: 16, value: (r: (typeof rows)[number]) => r.username },
			{ header: '答对题数', width: 10, value: (r: (typeof rows)[number]) => r.right },
			{ header: '得分', width: 10, value: (r: (typeof rows)[number]) => r.score }
		],
		pages: () => [rows]
	};
	return download(csvStream(sheet), `${live.title}-成绩`, 'csv');
};
