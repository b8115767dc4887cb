/**
 * The backup settings in effect, from the environment: BACKUP_DIR (default `backups/` beside the
 * database), BACKUP_TIME (HH:MM Asia/Shanghai, default 03:30) and BACKUP_KEEP (how many scheduled
 * backups are kept, default 14). A value that cannot be read falls back to its default, and the
 * backups page shows what is in effect.
 */
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_DATABASE_URL } from '../db';
import { mediaDir } from '../media/store';
import { replicationConfig, type ReplicationConfig } from '../replication/config';

export interface BackupSettings {
	/** Absolute folder the backups are written to (media in `media/` inside it). */
	dir: string;
	/** HH:MM, Asia/Shanghai. */
	time: string;
	keep: number;
	/** Where the uploaded media are read from (null: none to copy, e.g. an in-memory database). */
	mediaDir: string | null;
}

export const DEFAULT_BACKUP_TIME = '03:30';
export const DEFAULT_BACKUP_KEEP = 14;
const MAX_KEEP = 1000;
const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** 'H:MM' or 'HH:MM' as HH:MM, or null when it is no time of day. */
export function parseBackupTime(raw: string | undefined): string | null {
	const m = TIME.exec((raw ?? '').trim());
	return m ? `${m[1]!.padStart(2, '0')}:${m[2]}` : null;
}

export function parseBackupKeep(raw: string | undefined): number | null {
	const text = (raw ?? '').trim();
	if (!/^\d{1,4}$/.test(text)) return null;
	const n = Number(text);
	return n >= 1 && n <= MAX_KEEP ? n : null;
}

export function backupSettings(env: Record<string, string | undefined> = process.env): BackupSettings {
	const database = env.DATABASE_URL || DEFAULT_DATABASE_URL;
	const dir = env.BACKUP_DIR
		? resolve(env.BACKUP_DIR)
		: database === ':memory:'
			? resolve('backups')
			: join(dirname(resolve(database)), 'backups');
	let media: string | null;
	try {
		media = mediaDir();
	} catch {
		media = null;
	}
	return {
		dir,
		time: parseBackupTime(env.BACKUP_TIME) ?? DEFAULT_BACKUP_TIME,
		keep: parseBackupKeep(env.BACKUP_KEEP) ?? DEFAULT_BACKUP_KEEP,
		mediaDir: media
	};
}

export interface ReplicationState {
	on: boolean;
	/** Chinese, no secrets: where to (replication/config.ts's describe), or why it is off. */
	describe: string;
}

/**
 * Whether continuous replication runs: configured (replication/config.ts, from REPLICA_DIR,
 * REPLICA_S3_BUCKET or REPLICA_SFTP_HOST) and this app started under Litestream by `npm start`,
 * which sets LITESTREAM=1 for it. Configured but started otherwise, nothing replicates.
 */
export function replicationState(env: Record<string, string | undefined> = process.env): ReplicationState {
	let config: ReplicationConfig;
	try {
		config = replicationConfig(env.DATABASE_URL || DEFAULT_DATABASE_URL, env);
	} catch (e) {
		return { on: false, describe: e instanceof Error ? e.message : String(e) };
	}
	if (!config.enabled) return { on: false, describe: '未设置 REPLICA_DIR、REPLICA_S3_BUCKET 或 REPLICA_SFTP_HOST' };
	if (env.LITESTREAM !== '1')
		return { on: false, describe: `已配置（${config.describe}），但应用不是由 npm start 经 Litestream 启动的，复制没有运行` };
	return { on: true, describe: config.describe };
}
