import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { backupHealth, replicationState } from '$lib/server/backups';
import type { RequestHandler } from './$types';

/**
 * For monitoring: `status` is 'ok' while the database answers (a load balancer takes the instance
 * out otherwise). `checks` says more for whoever watches it: the daily backup ('failed' when the
 * last scheduled one failed, 'overdue' when none succeeded in 26 hours, 'none' before the first)
 * and whether replication runs (configured, and the app started under Litestream). No paths or messages: anyone may ask.
 */
export const GET: RequestHandler = () => {
	try {
		const db = getDb();
		db.$client.prepare('SELECT 1').get();
		return json({
			status: 'ok',
			checks: {
				database: 'ok',
				backup: backupHealth(db),
				replication: replicationState().on ? 'on' : 'off'
			}
		});
	} catch {
		return json({ status: 'error', message: '数据库不可用', checks: { database: 'error' } }, { status: 503 });
	}
};
