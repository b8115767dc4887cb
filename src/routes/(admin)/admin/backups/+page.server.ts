import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { backupOverview, backupWarning, LIST_LIMIT, listBackups, startBackup } from '$lib/server/backups';
import type { Actions, PageServerLoad } from './$types';

/** How long 立即备份 waits for the backup before answering that it is still running. */
const WAIT_MS = 20_000;

export const load: PageServerLoad = () => {
	const db = getDb();
	const now = new Date();
	return {
		settings: backupOverview(),
		warning: backupWarning(db, now),
		limit: LIST_LIMIT,
		backups: listBackups(db, now).map((b) => ({
			id: b.id,
			kind: b.kind,
			status: b.status,
			who: b.kind === 'scheduled' ? null : (b.requestedByName ?? '命令行'),
			startedAt: b.startedAt,
			tookMs: b.finishedAt ? b.finishedAt.getTime() - b.startedAt.getTime() : null,
			fileName: b.fileName,
			sizeBytes: b.sizeBytes,
			integrity: b.integrity,
			error: b.error
		}))
	};
};

export const actions: Actions = {
	// 立即备份: no fields; the backup runs while the app serves on, and the page waits for it a while.
	default: async (event) => {
		const started = startBackup(getDb(), { kind: 'manual', actor: actorOf(event) });
		if (!started.ok) return refuse(409, started.error);
		let timer: ReturnType<typeof setTimeout> | undefined;
		const result = await Promise.race([
			started.done,
			new Promise<null>((done) => (timer = setTimeout(() => done(null), WAIT_MS)))
		]);
		clearTimeout(timer);
		if (!result) return { notice: '备份已开始，仍在进行中；稍后刷新本页查看结果' };
		if (!result.ok) return { failure: result.error };
		return { notice: `备份完成：${result.fileName}，完整性检查通过` };
	}
};
