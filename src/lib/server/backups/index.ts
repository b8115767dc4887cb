/**
 * 数据备份: a consistent copy of the database made while the app runs (SQLite's online backup),
 * with the uploaded media it refers to, written under BACKUP_DIR. The day's scheduled backup is
 * claimed by one process (the unique `backups.scheduled_day`); a sysadmin can start one now and
 * download any that is kept. Every backup is recorded: when, who, the file, its size and what
 * `PRAGMA integrity_check` said of the copy, or the error that stopped it. A backup never throws
 * to its caller, and a failed one leaves no file behind: the copy is written as `<name>.part`
 * and renamed only once it is checked.
 */
import Database from 'better-sqlite3';
import { integrityOf } from '../db/integrity';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import type { Db, Queryable } from '../db';
import { recordAudit, type AuditActor } from '../audit';
import { mediaFilePath } from '../media/store';
import { shanghaiDay, shanghaiMidnight } from '../time';
import type { BackupHealth, BackupStatus } from '../../backups';
import { backupStatements, type BackupRow } from './statements';
import { backupSettings, replicationState, type BackupSettings } from './settings';

export { backupSettings, replicationState, type BackupSettings, type ReplicationState } from './settings';
export type { BackupRow } from './statements';

/** A backup that has not finished this long after it started was interrupted (its process ended). */
const STALE_MS = 6 * 3_600_000;
/** No successful backup for this long is 逾期 (a day and a margin for a slow night). */
const OVERDUE_MS = 26 * 3_600_000;
/** Rows the page lists. */
export const LIST_LIMIT = 60;
/** Pages copied per step of the online backup (16 MB of 4 KB pages) while nothing else writes. */
const STEP_PAGES = 4096;

export type { BackupHealth, BackupStatus };

export interface BackupView extends BackupRow {
	status: BackupStatus;
}

export type BackupResult =
	| { ok: true; id: number; fileName: string; sizeBytes: number; mediaCopied: number }
	| { ok: false; id: number; error: string };

export function backupStatus(row: BackupRow, now: Date = new Date()): BackupStatus {
	if (row.removedAt) return 'removed';
	if (row.error) return 'failed';
	if (row.finishedAt) return 'ok';
	return now.getTime() - row.startedAt.getTime() > STALE_MS ? 'interrupted' : 'running';
}

/** The file name of a backup started at `at`, in Shanghai time: app-20260322-033000.db. */
export function backupFileName(at: Date): string {
	const shanghai = new Date(at.getTime() + 8 * 3_600_000).toISOString();
	return `app-${shanghai.slice(0, 10).replaceAll('-', '')}-${shanghai.slice(11, 19).replaceAll(':', '')}.db`;
}

/** The instant today's (Shanghai) scheduled backup is due. */
export function dueAt(now: Date, time: string): Date {
	const [h, m] = time.split(':').map(Number) as [number, number];
	return new Date(shanghaiMidnight(shanghaiDay(now)).getTime() + (h * 60 + m) * 60_000);
}

// ---------------------------------------------------------------------------------------------
// Running a backup

/**
 * The copy itself, into `<dir>/<fileName>.part`: the online backup (one step for the rest once
 * another process's write has made SQLite start over, so a busy database still finishes), the
 * copy switched out of WAL (one self-contained file), checked read-only, the media copied, and
 * only then renamed into place. Anything that fails removes the part file and throws.
 */
async function copyDatabase(
	db: Queryable,
	settings: BackupSettings,
	fileName: string
): Promise<{ sizeBytes: number; integrity: string; mediaCopied: number }> {
	await mkdir(settings.dir, { recursive: true });
	const part = join(settings.dir, `${fileName}.part`);
	try {
		let lastRemaining = Infinity;
		let restarted = false;
		await db.$client.backup(part, {
			progress: ({ totalPages, remainingPages }) => {
				if (remainingPages > lastRemaining) restarted = true;
				lastRemaining = remainingPages;
				return restarted ? totalPages : STEP_PAGES;
			}
		});
		const copy = new Database(part);
		try {
			copy.pragma('journal_mode = DELETE');
		} finally {
			copy.close();
		}
		const check = new Database(part, { readonly: true, fileMustExist: true });
		let integrity: string;
		try {
			integrity = integrityOf(check);
		} finally {
			check.close();
		}
		if (integrity !== 'ok') throw new IntegrityError(integrity);
		const mediaCopied = settings.mediaDir
			? await copyMedia(db, settings.mediaDir, join(settings.dir, 'media'))
			: 0;
		const { size } = await stat(part);
		await rename(part, join(settings.dir, fileName));
		return { sizeBytes: size, integrity, mediaCopied };
	} catch (e) {
		await rm(part, { force: true });
		throw e;
	}
}

class IntegrityError extends Error {
	constructor(readonly integrity: string) {
		super(`备份副本的完整性检查未通过：${integrity.slice(0, 500)}`);
	}
}

/**
 * Media files are named by their SHA-256 and never change, so each is copied once: backups in the
 * same folder share `media/`, and later ones copy only what is new. Each is written under a
 * temporary name and renamed, so an interrupted copy never passes for a stored file.
 */
async function copyMedia(db: Queryable, from: string, to: string): Promise<number> {
	let copied = 0;
	for (const sha256 of backupStatements(db).mediaHashes.all()) {
		const target = mediaFilePath(sha256, to);
		if (existsSync(target)) continue;
		await mkdir(dirname(target), { recursive: true });
		await copyFile(mediaFilePath(sha256, from), `${target}.part`);
		await rename(`${target}.part`, target);
		copied++;
	}
	return copied;
}

function message(e: unknown): string {
	if (e instanceof IntegrityError) return e.message;
	const text = e instanceof Error ? e.message : String(e);
	return `备份失败：${text}`.slice(0, 1000);
}

/** Runs the recorded backup `id`; records its outcome (never throws). */
async function perform(
	db: Db,
	id: number,
	kind: 'scheduled' | 'manual',
	startedAt: Date,
	settings: BackupSettings
): Promise<BackupResult> {
	let fileName = backupFileName(startedAt);
	if (existsSync(join(settings.dir, fileName)) || existsSync(join(settings.dir, `${fileName}.part`)))
		fileName = fileName.replace(/\.db$/, `-${id}.db`);
	const s = backupStatements(db);
	try {
		const { sizeBytes, integrity, mediaCopied } = await copyDatabase(db, settings, fileName);
		db.transaction(() => {
			s.finish.run({ id, fileName, finishedAt: Date.now(), sizeBytes, integrity });
		});
		if (kind === 'scheduled') await applyRetention(db, settings);
		return { ok: true, id, fileName, sizeBytes, mediaCopied };
	} catch (e) {
		const error = message(e);
		db.transaction(() => {
			s.fail.run({
				id,
				finishedAt: Date.now(),
				integrity: e instanceof IntegrityError ? e.integrity.slice(0, 1000) : null,
				error
			});
		});
		return { ok: false, id, error };
	}
}

export interface RunOptions {
	kind: 'scheduled' | 'manual';
	/** Who started a manual backup (null: the command line). */
	actor?: AuditActor | null;
	now?: Date;
	settings?: BackupSettings;
}

export type StartResult =
	| { ok: true; id: number; done: Promise<BackupResult> }
	| { ok: false; error: string; skipped?: true };

/**
 * Starts a backup: records it (a manual one with its audit entry, in the same transaction; a
 * scheduled one by claiming its Shanghai day, which only one process can) and returns at once
 * with `done`, the outcome once the copy is made and checked. Refused: a manual backup while
 * another is running; a scheduled one whose day was already claimed (`skipped`).
 */
export function startBackup(db: Db, options: RunOptions): StartResult {
	const now = options.now ?? new Date();
	const settings = options.settings ?? backupSettings();
	const s = backupStatements(db);
	const recorded = db.transaction((tx): { ok: true; id: number } | { ok: false; error: string; skipped?: true } => {
		if (options.kind === 'scheduled') {
			const day = shanghaiDay(now);
			const claimed = s.claimDay.get(day, now.getTime());
			return claimed
				? { ok: true, id: claimed.id }
				: { ok: false, skipped: true, error: `${day} 的定时备份已由其他进程完成或正在进行` };
		}
		if (s.running.get(now.getTime() - STALE_MS) !== undefined)
			return { ok: false, error: '已有一个备份正在进行，请等它完成后再试' };
		const actor = options.actor ?? null;
		const { id } = s.insertManual.get(actor?.id ?? null, now.getTime())!;
		recordAudit(tx, actor, {
			action: 'backup.create',
			target: { type: 'backup', id },
			summary: '立即备份了数据库',
			at: now
		});
		return { ok: true, id };
	});
	if (!recorded.ok) return recorded;
	return { ok: true, id: recorded.id, done: perform(db, recorded.id, options.kind, now, settings) };
}

/**
 * A backup from start to end: its outcome (a refusal is an outcome with no row: `id` 0). Used by
 * `npm run db:backup` and the tests; the page starts one and waits only so long (startBackup).
 */
export async function runBackup(db: Db, options: RunOptions): Promise<BackupResult> {
	const started = startBackup(db, options);
	if (!started.ok) return { ok: false, id: 0, error: started.error };
	return started.done;
}

/**
 * The sweeper's minute: when today's BACKUP_TIME (Shanghai) has passed and no process has claimed
 * today's scheduled backup, claim it and run it. Null when nothing was due or another had it.
 */
export async function runDueBackup(
	db: Db,
	now: Date = new Date(),
	settings: BackupSettings = backupSettings()
): Promise<BackupResult | null> {
	if (now < dueAt(now, settings.time)) return null;
	// Most minutes the day is already taken: a read, no write lock.
	if (backupStatements(db).dayClaimed.get(shanghaiDay(now)) !== undefined) return null;
	const started = startBackup(db, { kind: 'scheduled', now, settings });
	return started.ok ? started.done : null;
}

/**
 * Keeps the newest BACKUP_KEEP scheduled backups: older ones lose their file and are marked
 * removed (the row stays, so the list shows what happened). Manual backups are the sysadmin's
 * to keep. Media files are shared by all backups and stay.
 */
export async function applyRetention(db: Db, settings: BackupSettings = backupSettings()): Promise<number> {
	const s = backupStatements(db);
	let removed = 0;
	for (const old of s.beyondRetention.all(settings.keep)) {
		await rm(join(settings.dir, old.fileName!), { force: true });
		db.transaction(() => {
			s.markRemoved.run(Date.now(), old.id);
		});
		removed++;
	}
	return removed;
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The newest backups, for the sysadmin's page. */
export function listBackups(db: Queryable, now: Date = new Date(), limit = LIST_LIMIT): BackupView[] {
	return backupStatements(db)
		.list.all(limit)
		.map((row) => ({ ...row, status: backupStatus(row, now) }));
}


/**
 * What monitoring and the sysadmin's home are told: `failed` when the last scheduled backup
 * failed (or never finished), `overdue` when no backup succeeded in the last 26 hours, `none`
 * when no backup was ever made, otherwise `ok`.
 */
export function backupHealth(db: Queryable, now: Date = new Date()): BackupHealth {
	const s = backupStatements(db);
	const last = s.lastScheduled.get(now.getTime() - STALE_MS);
	if (last && (last.error || !last.finishedAt)) return 'failed';
	if (s.lastSuccessSince.get(now.getTime() - OVERDUE_MS) !== undefined) return 'ok';
	return s.any.get() === undefined ? 'none' : 'overdue';
}

/** The page's summary of the health: the last scheduled backup's failure, or the last success. */
export function backupWarning(db: Queryable, now: Date = new Date()): { health: BackupHealth; error: string | null } {
	const health = backupHealth(db, now);
	const last = health === 'failed' ? backupStatements(db).lastScheduled.get(now.getTime() - STALE_MS) : undefined;
	return { health, error: last ? (last.error ?? '备份中断，没有完成（进程可能已退出）') : null };
}

// ---------------------------------------------------------------------------------------------
// Download

export interface DownloadableBackup {
	id: number;
	fileName: string;
	path: string;
	sizeBytes: number;
}

/** A backup whose file is there to download; nothing for a failed, running or removed one. */
export async function downloadableBackup(
	db: Queryable,
	id: number,
	settings: BackupSettings = backupSettings()
): Promise<DownloadableBackup | null> {
	const row = backupStatements(db).byId.get(id);
	if (!row || backupStatus(row) !== 'ok' || !row.fileName) return null;
	const path = join(settings.dir, row.fileName);
	try {
		const { size } = await stat(path);
		return { id, fileName: row.fileName, path, sizeBytes: size };
	} catch {
		return null;
	}
}

/** Records the download (日志中心) and opens the file as a stream. */
export function openBackupDownload(
	db: Db,
	actor: AuditActor,
	backup: DownloadableBackup
): ReadableStream<Uint8Array> {
	db.transaction((tx) => {
		recordAudit(tx, actor, {
			action: 'backup.download',
			target: { type: 'backup', id: backup.id },
			summary: `下载了数据库备份 ${backup.fileName}`
		});
	});
	return Readable.toWeb(createReadStream(backup.path)) as ReadableStream<Uint8Array>;
}

/** Settings in effect as the page shows them (the folder, time, how many kept, replication). */
export function backupOverview(settings: BackupSettings = backupSettings()) {
	return {
		dir: settings.dir,
		time: settings.time,
		keep: settings.keep,
		replication: replicationState()
	};
}
