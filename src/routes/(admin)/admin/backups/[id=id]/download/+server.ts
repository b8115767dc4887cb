import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { actorOf } from '$lib/server/audit';
import { downloadableBackup, openBackupDownload } from '$lib/server/backups';
import { contentDisposition } from '$lib/server/media/serve';
import type { RequestHandler } from './$types';

/** A kept backup's database file, streamed; the download is recorded in 日志中心. */
export const GET: RequestHandler = async (event) => {
	const db = getDb();
	const backup = await downloadableBackup(db, Number(event.params.id));
	if (!backup) error(404, { message: '没有找到这个备份，或它已失败、已被删除' });
	return new Response(openBackupDownload(db, actorOf(event), backup), {
		headers: {
			'content-type': 'application/vnd.sqlite3',
			'content-length': String(backup.sizeBytes),
			'content-disposition': contentDisposition('attachment', backup.fileName),
			'cache-control': 'no-store'
		}
	});
};
