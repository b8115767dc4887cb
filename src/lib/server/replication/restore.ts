// npm run db:restore: brings the database back from its Litestream replica into a NEW file,
// then checks the copy (integrity, migrations) before anyone points the app at it.
import Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { replicationConfig, ReplicationConfigError } from './config';
import { litestreamBinary } from './index';
import { appliedMigrations, hasMigrationTable } from './statements';
import { integrityOf } from '../db/integrity';

export type DatabaseCheck = { ok: true; applied: number; pending: string[] } | { ok: false; problem: string };

export type RestoreResult =
	| {
			ok: true;
			to: string;
			/** Where it came from (Chinese, no secrets). */
			replica: string;
			at: Date | null;
			applied: number;
			/** Migrations of this version the copy has not had yet; `npm start` applies them. */
			pending: string[];
			seconds: number;
	  }
	| { ok: false; message: string; seconds: number };

/** Files SQLite keeps beside a database: any of them existing means a database is (or was) there. */
const SIDE_FILES = ['', '-wal', '-shm', '-journal'];

/**
 * Checks a database file: `PRAGMA integrity_check` must answer ok, and the migrations it has
 * applied must be the first ones of this version's drizzle/meta/_journal.json (the rest are
 * reported as pending). Never throws: a file SQLite cannot read is a failed check.
 */
export function checkDatabase(path: string, migrationsFolder: string): DatabaseCheck {
	let sqlite: Database.Database | undefined;
	try {
		sqlite = new Database(path, { fileMustExist: true });
		sqlite.pragma('busy_timeout = 5000');
		const integrity = integrityOf(sqlite);
		if (integrity !== 'ok') return { ok: false, problem: `完整性检查未通过：${integrity}` };
		if (!hasMigrationTable(sqlite)) return { ok: false, problem: '不是本应用的数据库：没有迁移记录' };
		const applied = appliedMigrations(sqlite);
		const journal = (
			JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
				entries: { tag: string }[];
			}
		).entries;
		const known = readMigrationFiles({ migrationsFolder }).map((m, i) => ({
			...m,
			tag: journal[i]!.tag
		}));
		if (applied.length > known.length)
			return {
				ok: false,
				problem: `数据库已应用 ${applied.length} 个迁移，本版本只有 ${known.length} 个：它来自更新的版本`
			};
		for (const [i, row] of applied.entries()) {
			const expected = known[i]!;
			if (Number(row.createdAt) !== expected.folderMillis || row.hash !== expected.hash)
				return {
					ok: false,
					problem: `数据库的第 ${i + 1} 个迁移与本版本的 ${expected.tag} 不一致：它来自另一个版本`
				};
		}
		return { ok: true, applied: applied.length, pending: known.slice(applied.length).map((m) => m.tag) };
	} catch (err) {
		return { ok: false, problem: `无法读取数据库：${(err as Error).message}` };
	} finally {
		sqlite?.close();
	}
}

/** Runs a program, collecting what it prints. */
function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
	return new Promise((done) => {
		const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.on('error', (err) => done({ code: null, output: err.message }));
		child.on('close', (code) => done({ code, output }));
	});
}

/** Litestream's own explanation of a failure: the `error=` of its last error line, or its last line. */
function litestreamError(output: string): string {
	const lines = output.trim().split('\n').filter(Boolean);
	const last = lines.findLast((l) => l.includes('level=ERROR')) ?? lines.at(-1) ?? '';
	return /error="?([^"]*)"?/.exec(last)?.[1] ?? last;
}

/**
 * Restores the database at `databasePath` (DATABASE_URL: the database the replica was made
 * of) from the replica the environment configures, as of `at` or the latest, into `to`, which
 * must not exist: a restore never overwrites a file, and a live database is one. Then checks
 * the copy. Everything that goes wrong is a result with a Chinese message, never a throw.
 */
export async function restoreDatabase(options: {
	databasePath: string;
	to: string;
	at?: Date;
	env?: Record<string, string | undefined>;
	migrationsFolder: string;
}): Promise<RestoreResult> {
	const started = performance.now();
	const seconds = () => Math.round((performance.now() - started) / 10) / 100;
	const fail = (message: string): RestoreResult => ({ ok: false, message, seconds: seconds() });

	const to = resolve(options.to);
	const existing = SIDE_FILES.map((suffix) => to + suffix).find((f) => existsSync(f));
	if (existing)
		return fail(
			`目标 ${existing} 已存在：恢复从不覆盖已有文件（运行中的数据库也是已有文件），请指定一个新路径`
		);
	if (options.at && Number.isNaN(options.at.getTime()))
		return fail('时间无效：请写成 ISO 格式，如 2026-03-01T09:30:00+08:00');

	let config;
	try {
		config = replicationConfig(options.databasePath, options.env ?? process.env);
	} catch (err) {
		if (err instanceof ReplicationConfigError) return fail(err.message);
		throw err;
	}
	if (!config.enabled)
		return fail(
			'没有配置副本（REPLICA_DIR、REPLICA_S3_BUCKET 或 REPLICA_SFTP_HOST），无从恢复：请按运行时的配置设置这些环境变量'
		);
	let binary: string;
	try {
		binary = litestreamBinary();
	} catch (err) {
		return fail((err as Error).message);
	}
	const scratch = mkdtempSync(join(tmpdir(), 'xuexi-restore-'));
	try {
		const configFile = join(scratch, 'litestream.yml');
		writeFileSync(configFile, config.yaml);
		mkdirSync(dirname(to), { recursive: true });
		const args = ['restore', '-config', configFile, '-o', to];
		if (options.at) args.push('-timestamp', options.at.toISOString());
		args.push(config.database);
		const restored = await run(binary, args);
		if (restored.code !== 0 || !existsSync(to)) {
			const reason = litestreamError(restored.output);
			return fail(
				/no matching backups|no generation|no snapshots/i.test(reason)
					? `副本中没有${options.at ? '该时间点之前的' : ''}备份（${config.describe}）：${reason}`
					: `Litestream 恢复失败：${reason || `退出码 ${restored.code}`}`
			);
		}
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}

	const check = checkDatabase(to, options.migrationsFolder);
	if (!check.ok) return fail(`已恢复到 ${to}，但检查未通过，请勿使用这个文件：${check.problem}`);
	return {
		ok: true,
		to,
		replica: config.describe,
		at: options.at ?? null,
		applied: check.applied,
		pending: check.pending,
		seconds: seconds()
	};
}
