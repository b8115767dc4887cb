import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = () => {
	try {
		getDb().$client.prepare('SELECT 1').get();
		return json({ status: 'ok' });
	} catch {
		return json({ status: 'error', message: '数据库不可用' }, { status: 503 });
	}
};
