import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { auditDownload } from '$lib/server/audit';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params, locals, url }) => {
	if (params.format !== 'csv' && params.format !== 'xlsx') error(404, { message: '没有这种导出格式' });
	return auditDownload(getDb(), locals.user!, url.searchParams, params.format);
};
