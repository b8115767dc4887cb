import { getDb } from '$lib/server/db';
import { auditDownload } from '$lib/server/audit';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ params, locals, url }) => {
	return auditDownload(getDb(), locals.user!, url.searchParams, params.format);
};
