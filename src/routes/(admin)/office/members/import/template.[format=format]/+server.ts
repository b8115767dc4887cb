import { getDb } from '$lib/server/db';
import { getOffice } from '$lib/server/org/offices';
import { templateCsv, templateXlsx } from '$lib/server/users/spreadsheet';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, locals }) => {
	const example =
		(locals.user!.officeId && getOffice(getDb(), locals.user!.officeId)?.name) || '离石区人大常委会';
	const filename = encodeURIComponent('成员导入模板');
	if (params.format === 'xlsx') {
		return new Response(new Uint8Array(await templateXlsx(example)), {
			headers: {
				'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
				'content-disposition': `attachment; filename*=UTF-8''${filename}.xlsx`
			}
		});
	}
	return new Response(templateCsv(example), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename*=UTF-8''${filename}.csv`
		}
	});
};
