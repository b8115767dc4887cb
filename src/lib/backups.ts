/** What the backups page and the sysadmin's home show of a backup (safe on server and client). */

export type BackupStatus = 'running' | 'ok' | 'failed' | 'interrupted' | 'removed';
export type BackupHealth = 'ok' | 'failed' | 'overdue' | 'none';

export const BACKUP_STATUS_LABELS: Record<BackupStatus, string> = {
	running: '正在备份',
	ok: '可下载',
	failed: '失败',
	interrupted: '中断',
	removed: '已按保留份数删除'
};

/** A file size for people: 812 KB, 35.2 MB, 1.4 GB. */
export function sizeLabel(bytes: number | null): string {
	if (bytes === null) return '—';
	if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
	if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
	return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** How long a backup took: 3 秒, 2 分 5 秒. */
export function durationLabel(ms: number): string {
	const s = Math.max(1, Math.round(ms / 1000));
	return s < 60 ? `${s} 秒` : `${Math.floor(s / 60)} 分 ${s % 60} 秒`;
}

/** The sysadmin's warning for a backup health that needs attention, or null. */
export function backupHealthWarning(health: BackupHealth): string | null {
	if (health === 'failed') return '最近一次定时备份失败';
	if (health === 'overdue') return '超过 26 小时没有成功的备份';
	return null;
}
