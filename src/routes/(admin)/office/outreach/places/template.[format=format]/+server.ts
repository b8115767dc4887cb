import { placesTemplate } from '$lib/server/outreach';
import type { RequestHandler } from './$types';

/** The place sheet to fill in: the headers and three example rows. */
export const GET: RequestHandler = async ({ params }) => {
	const format = params.format as 'xlsx' | 'csv';
	const filename = encodeURIComponent('宣讲地点导入模板');
	return new Response(await placesTemplate(format), {
		headers: {
			'content-type':
				format === 'xlsx'
					? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
					: 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename*=UTF-8''${filename}.${format}`
		}
	});
};
