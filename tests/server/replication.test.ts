import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'yaml';
import { createDb, migrateDb, migrationsFolder } from '../../src/lib/server/db';
import {
	configFileFor,
	isReplicating,
	litestreamBinary,
	parseDuration,
	REPLICATION_OFF_MESSAGE,
	ReplicationConfigError,
	replicationConfig,
	writeReplicationConfig
} from '../../src/lib/server/replication';
import { checkDatabase, restoreDatabase } from '../../src/lib/server/replication/restore';

const root = mkdtempSync(join(tmpdir(), 'xuexi-replication-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string) => join(root, `${++n}-${name}`);

type Replica = Record<string, string>;
function replicasOf(yaml: string): Replica[] {
	const parsed = parse(yaml) as { dbs: { path: string; replicas: Replica[] }[] };
	expect(parsed.dbs).toHaveLength(1);
	return parsed.dbs[0]!.replicas;
}

/** What the bundled Litestream makes of a config file: its `databases` listing. */
function litestreamReads(yaml: string, env: Record<string, string> = {}): string {
	const file = fresh('litestream.yml');
	writeFileSync(file, yaml);
	const out = spawnSync(litestreamBinary(), ['databases', '-config', file], {
		encoding: 'utf8',
		env: { ...process.env, ...env }
	});
	expect(out.status, out.stderr).toBe(0);
	return out.stdout;
}

describe('replication settings from the environment', () => {
	it('is off, and says so plainly, when no replica target is set', () => {
		const config = replicationConfig('data/app.db', { REPLICA_S3_PATH: 'x', REPLICA_SYNC_INTERVAL: '5s' });
		expect(config).toEqual({ enabled: false, describe: REPLICATION_OFF_MESSAGE });
		expect(config.describe).toContain('未开启');
		expect(config.describe).toContain('本机损坏将丢失数据');
	});

	it('a directory: the absolute database path, the replica directory and the default intervals', () => {
		const config = replicationConfig('data/app.db', { REPLICA_DIR: '/mnt/backup/xuexi' });
		if (!config.enabled) throw new Error('expected replication on');
		expect(config.database).toBe(join(process.cwd(), 'data/app.db'));
		expect(parse(config.yaml).dbs[0].path).toBe(config.database);
		expect(replicasOf(config.yaml)).toEqual([
			{
				name: 'dir',
				type: 'file',
				path: '/mnt/backup/xuexi',
				'sync-interval': '1s',
				'snapshot-interval': '24h',
				retention: '72h'
			}
		]);
		expect(config.syncIntervalMs).toBe(1_000);
		expect(config.describe).toBe('目录 /mnt/backup/xuexi；每 1s 同步，每 24h 快照，保留 72h');
		expect(litestreamReads(config.yaml)).toMatch(/app\.db\s+dir/);
	});

	it('S3-compatible storage: credentials only as references to the environment, never in the file', () => {
		const secrets = {
			LITESTREAM_ACCESS_KEY_ID: 'AKIDEXAMPLE42',
			LITESTREAM_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG'
		};
		const config = replicationConfig('/srv/xuexi/app.db', {
			...secrets,
			REPLICA_S3_BUCKET: 'xuexi-backup',
			REPLICA_S3_ENDPOINT: 'http://minio.internal:9000',
			REPLICA_S3_REGION: 'cn-north-1',
			REPLICA_SYNC_INTERVAL: '10s',
			REPLICA_RETENTION: '168h'
		});
		if (!config.enabled) throw new Error('expected replication on');
		for (const secret of Object.values(secrets)) {
			expect(config.yaml).not.toContain(secret);
			expect(config.describe).not.toContain(secret);
		}
		expect(replicasOf(config.yaml)).toEqual([
			{
				name: 's3',
				type: 's3',
				bucket: 'xuexi-backup',
				path: 'xuexi',
				endpoint: 'http://minio.internal:9000',
				region: 'cn-north-1',
				'access-key-id': '${LITESTREAM_ACCESS_KEY_ID}',
				'secret-access-key': '${LITESTREAM_SECRET_ACCESS_KEY}',
				'sync-interval': '10s',
				'snapshot-interval': '24h',
				retention: '168h'
			}
		]);
		expect(config.syncIntervalMs).toBe(10_000);
		expect(config.describe).toContain('S3 存储 xuexi-backup/xuexi（http://minio.internal:9000）');
		expect(litestreamReads(config.yaml, secrets)).toMatch(/app\.db\s+s3/);
	});

	it('SFTP: the password by reference, the key by its path; several targets are all replicated to', () => {
		const config = replicationConfig('/srv/xuexi/app.db', {
			REPLICA_DIR: '/mnt/b',
			REPLICA_SFTP_HOST: 'backup.example.cn',
			REPLICA_SFTP_USER: 'xuexi',
			REPLICA_SFTP_PASSWORD: 'S3cret!pass',
			REPLICA_SFTP_KEY_PATH: '/etc/xuexi/id_ed25519',
			REPLICA_SFTP_PATH: 'replicas/sx'
		});
		if (!config.enabled) throw new Error('expected replication on');
		expect(config.yaml).not.toContain('S3cret!pass');
		expect(config.replicas).toEqual(['dir', 'sftp']);
		expect(replicasOf(config.yaml)[1]).toMatchObject({
			type: 'sftp',
			host: 'backup.example.cn:22',
			user: 'xuexi',
			password: '${REPLICA_SFTP_PASSWORD}',
			'key-path': '/etc/xuexi/id_ed25519',
			path: 'replicas/sx'
		});
		expect(config.describe).toContain('SFTP xuexi@backup.example.cn:replicas/sx');
		expect(config.describe).not.toContain('S3cret');
		expect(litestreamReads(config.yaml, { REPLICA_SFTP_PASSWORD: 'S3cret!pass' })).toMatch(/dir,sftp/);
	});

	it('refuses unusable settings with every reason in Chinese', () => {
		let error: unknown;
		try {
			replicationConfig('/srv/app.db', {
				REPLICA_SFTP_HOST: 'h',
				REPLICA_SFTP_PASSWORD: "it's",
				REPLICA_SYNC_INTERVAL: 'soon'
			});
		} catch (err) {
			error = err;
		}
		expect(error).toBeInstanceOf(ReplicationConfigError);
		const { problems } = error as ReplicationConfigError;
		expect(problems).toEqual([
			'REPLICA_SYNC_INTERVAL 应为时长，如 1s、10m、24h，而不是“soon”',
			'设置了 REPLICA_SFTP_HOST 时还需设置 REPLICA_SFTP_USER',
			'REPLICA_SFTP_PASSWORD 不能包含单引号或换行，请换一个密码或改用 REPLICA_SFTP_KEY_PATH'
		]);
		expect(() =>
			replicationConfig('/srv/app.db', { REPLICA_SFTP_HOST: 'h', REPLICA_SFTP_USER: 'u' })
		).toThrow(/REPLICA_SFTP_PASSWORD 或 REPLICA_SFTP_KEY_PATH/);
		expect(() => replicationConfig('/srv/app.db', { REPLICA_DIR: '/mnt/$HOME' })).toThrow(/不能包含 \$/);
	});

	it('reads durations as Litestream does', () => {
		expect(parseDuration('1s')).toBe(1_000);
		expect(parseDuration('500ms')).toBe(500);
		expect(parseDuration('1h30m')).toBe(5_400_000);
		expect(parseDuration('0s')).toBeNull();
		expect(parseDuration('10')).toBeNull();
	});

	it('npm start writes the config beside the database', () => {
		const database = fresh('app.db');
		const config = replicationConfig(database, { REPLICA_DIR: fresh('replica') });
		if (!config.enabled) throw new Error('expected replication on');
		const file = writeReplicationConfig(config);
		expect(file).toBe(`${database}.litestream.yml`);
		expect(configFileFor(database)).toBe(file);
		expect(readFileSync(file, 'utf8')).toBe(config.yaml);
	});
});

describe('checkpoints while replicating', () => {
	it('the app leaves WAL checkpoints to Litestream only when it runs under it', () => {
		const autocheckpoint = (env: string | undefined) => {
			const saved = process.env.LITESTREAM;
			if (env === undefined) delete process.env.LITESTREAM;
			else process.env.LITESTREAM = env;
			try {
				const db = createDb(fresh('checkpoint.db'));
				const pages = db.$client.pragma('wal_autocheckpoint', { simple: true });
				db.$client.close();
				return pages;
			} finally {
				if (saved === undefined) delete process.env.LITESTREAM;
				else process.env.LITESTREAM = saved;
			}
		};
		expect(autocheckpoint('1')).toBe(0);
		expect(autocheckpoint(undefined)).toBe(1000);
		expect(isReplicating({ LITESTREAM: '1' })).toBe(true);
		expect(isReplicating({ REPLICA_DIR: '/mnt/b' })).toBe(false);
	});
});

/** A migrated database with `count` users named u1…: something to replicate and count. */
function addUsers(db: ReturnType<typeof createDb>, from: number, count: number) {
	const insert = db.$client.prepare(
		"INSERT INTO users (username, name, password_hash) VALUES (?, '学员', 'x')"
	);
	for (let i = from; i < from + count; i++) insert.run(`u${i}`);
}
function usersIn(path: string): number {
	const db = new Database(path, { readonly: true });
	try {
		return db.prepare("SELECT count(*) FROM users WHERE username LIKE 'u%'").pluck().get() as number;
	} finally {
		db.close();
	}
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('restoring from the replica', () => {
	it('restores the latest state, or the state as of a time, into a new file and checks it', async () => {
		const database = fresh('app.db');
		const replica = fresh('replica');
		const env = { REPLICA_DIR: replica };
		const db = createDb(database);
		migrateDb(db);
		addUsers(db, 1, 10);
		const config = replicationConfig(database, env);
		if (!config.enabled) throw new Error('expected replication on');
		const litestream = spawn(litestreamBinary(), ['replicate', '-config', writeReplicationConfig(config)], {
			stdio: 'ignore'
		});
		let between: Date;
		try {
			await sleep(2_500); // the first snapshot and WAL segment
			between = new Date();
			await sleep(1_200);
			addUsers(db, 11, 5);
			await sleep(2_500);
		} finally {
			litestream.kill('SIGTERM');
			await new Promise((r) => litestream.once('exit', r));
			db.$client.close();
		}
		const latest = await restoreDatabase({
			databasePath: database,
			to: fresh('latest.db'),
			env,
			migrationsFolder: migrationsFolder()
		});
		if (!latest.ok) throw new Error(latest.message);
		expect(usersIn(latest.to)).toBe(15);
		expect(latest.pending).toEqual([]);
		expect(latest.applied).toBeGreaterThan(20);
		expect(latest.replica).toContain(`目录 ${replica}`);
		expect(latest.seconds).toBeGreaterThan(0);

		// As of a time between the two batches of writes: only the first.
		const earlier = await restoreDatabase({
			databasePath: database,
			to: fresh('earlier.db'),
			at: between,
			env,
			migrationsFolder: migrationsFolder()
		});
		if (!earlier.ok) throw new Error(earlier.message);
		expect(usersIn(earlier.to)).toBe(10);
		expect(earlier.at).toEqual(between);

		// Before the replica began there is nothing to restore.
		const tooEarly = await restoreDatabase({
			databasePath: database,
			to: fresh('too-early.db'),
			at: new Date('2020-01-01T00:00:00Z'),
			env,
			migrationsFolder: migrationsFolder()
		});
		expect(tooEarly).toMatchObject({
			ok: false,
			message: expect.stringContaining('副本中没有该时间点之前的备份')
		});

		// Restoring the database over itself, or over the copy just made, is refused.
		for (const to of [database, latest.to]) {
			const again = await restoreDatabase({
				databasePath: database,
				to,
				env,
				migrationsFolder: migrationsFolder()
			});
			expect(again.ok).toBe(false);
			if (!again.ok) expect(again.message).toContain('已存在');
		}
	}, 20_000);
});

describe('restore refusals', () => {
	const base = () => ({ databasePath: fresh('gone.db'), migrationsFolder: migrationsFolder() });

	it('refuses a target that exists (a database or its WAL), leaving it untouched', async () => {
		const to = fresh('live.db');
		writeFileSync(`${to}-wal`, 'wal');
		const result = await restoreDatabase({ ...base(), to, env: { REPLICA_DIR: fresh('r') } });
		expect(result).toMatchObject({ ok: false, message: expect.stringContaining(`目标 ${to}-wal 已存在`) });
		expect(readFileSync(`${to}-wal`, 'utf8')).toBe('wal');
	});

	it('refuses without a configured replica', async () => {
		const result = await restoreDatabase({ ...base(), to: fresh('new.db'), env: {} });
		expect(result).toMatchObject({ ok: false, message: expect.stringContaining('没有配置副本') });
	});

	it('says when the replica holds nothing, and refuses a time it cannot read', async () => {
		const empty = await restoreDatabase({ ...base(), to: fresh('new.db'), env: { REPLICA_DIR: fresh('r') } });
		expect(empty).toMatchObject({ ok: false, message: expect.stringContaining('副本中没有备份') });
		const badTime = await restoreDatabase({
			...base(),
			to: fresh('new.db'),
			at: new Date('not a time'),
			env: { REPLICA_DIR: fresh('r') }
		});
		expect(badTime).toMatchObject({ ok: false, message: expect.stringContaining('时间无效') });
	});

	it('npm run db:restore exits non-zero with the reason', () => {
		const to = fresh('exists.db');
		writeFileSync(to, '');
		const run = spawnSync('npx', ['tsx', 'scripts/restore.ts', '--to', to], {
			encoding: 'utf8',
			env: { ...process.env, DATABASE_URL: fresh('app.db'), REPLICA_DIR: fresh('r') }
		});
		expect(run.status).toBe(1);
		expect(run.stderr).toContain('恢复失败');
		expect(run.stderr).toContain('已存在');
		const usage = spawnSync('npx', ['tsx', 'scripts/restore.ts'], { encoding: 'utf8' });
		expect(usage.status).toBe(1);
		expect(usage.stdout).toContain('用法：npm run db:restore -- --to');
	});
});

describe('checking a restored copy', () => {
	it('reports a corrupt copy as failing the integrity check', () => {
		const path = fresh('corrupt.db');
		const db = new Database(path);
		db.exec('CREATE TABLE t (a, b); CREATE INDEX i1 ON t (a); CREATE INDEX i2 ON t (b)');
		const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
		for (let i = 0; i < 50; i++) insert.run(i, `x${1000 - i}`);
		const [p1, p2] = db
			.prepare("SELECT rootpage FROM sqlite_master WHERE type = 'index'")
			.pluck()
			.all() as number[];
		const size = db.pragma('page_size', { simple: true }) as number;
		db.close();
		// Swap the two index pages: every row is then missing from both indexes.
		const bytes = readFileSync(path);
		const first = Buffer.from(bytes.subarray((p1! - 1) * size, p1! * size));
		bytes.copy(bytes, (p1! - 1) * size, (p2! - 1) * size, p2! * size);
		first.copy(bytes, (p2! - 1) * size);
		writeFileSync(path, bytes);
		const check = checkDatabase(path, migrationsFolder());
		expect(check).toMatchObject({
			ok: false,
			problem: expect.stringMatching(/^完整性检查未通过：row 1 missing from index/)
		});

		writeFileSync(path, 'not a database at all');
		expect(checkDatabase(path, migrationsFolder())).toMatchObject({
			ok: false,
			problem: expect.stringContaining('无法读取数据库')
		});
	});

	it('reports migrations this version has that the copy lacks, and refuses a copy from another version', () => {
		const path = fresh('old.db');
		const db = createDb(path);
		migrateDb(db);
		const journal = JSON.parse(readFileSync(join(migrationsFolder(), 'meta/_journal.json'), 'utf8')) as {
			entries: { tag: string }[];
		};
		const tags = journal.entries.map((e) => e.tag);
		expect(checkDatabase(path, migrationsFolder())).toEqual({ ok: true, applied: tags.length, pending: [] });

		// As if the copy were made before the last two migrations.
		db.$client.exec(
			'DELETE FROM __drizzle_migrations WHERE rowid IN (SELECT rowid FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 2)'
		);
		expect(checkDatabase(path, migrationsFolder())).toEqual({
			ok: true,
			applied: tags.length - 2,
			pending: tags.slice(-2)
		});

		// A migration this version does not know: the copy is from another version.
		db.$client.exec(
			"UPDATE __drizzle_migrations SET hash = 'other' WHERE rowid = (SELECT min(rowid) FROM __drizzle_migrations)"
		);
		expect(checkDatabase(path, migrationsFolder())).toMatchObject({
			ok: false,
			problem: expect.stringContaining(`与本版本的 ${tags[0]} 不一致`)
		});
		db.$client.close();
	});
});
