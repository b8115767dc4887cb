// Continuous replication of the database with Litestream (https://litestream.io), configured
// from the environment. Pure: reads the environment it is given and returns the YAML that
// `npm start` writes beside the database (`<database>.litestream.yml`) and `npm run db:restore`
// reads. The bundled Litestream is v0.3 (npm `@flydotio/litestream`): its config file is the
// v0.3 `dbs: [{ path, replicas: [...] }]` format.
//
// Secrets are never written to the file: they stay in the environment and the file names them
// as ${VAR}, which Litestream replaces when it reads the file (its default variable expansion).
import { resolve } from 'node:path';

/** Every variable this module reads (the README's configuration table documents each). */
export const REPLICATION_ENV = [
	'REPLICA_DIR',
	'REPLICA_S3_BUCKET',
	'REPLICA_S3_PATH',
	'REPLICA_S3_ENDPOINT',
	'REPLICA_S3_REGION',
	'REPLICA_SFTP_HOST',
	'REPLICA_SFTP_USER',
	'REPLICA_SFTP_PASSWORD',
	'REPLICA_SFTP_KEY_PATH',
	'REPLICA_SFTP_PATH',
	'REPLICA_SYNC_INTERVAL',
	'REPLICA_SNAPSHOT_INTERVAL',
	'REPLICA_RETENTION'
] as const;

export const DEFAULT_SYNC_INTERVAL = '1s';
export const DEFAULT_SNAPSHOT_INTERVAL = '24h';
export const DEFAULT_RETENTION = '72h';
export const DEFAULT_REMOTE_PATH = 'xuexi';

export const REPLICATION_OFF_MESSAGE =
	'数据库复制：未开启（未设置 REPLICA_DIR、REPLICA_S3_BUCKET 或 REPLICA_SFTP_HOST）；本机损坏将丢失数据';

export type ReplicaKind = 'dir' | 's3' | 'sftp';

export type ReplicationConfig =
	| { enabled: false; describe: string }
	| {
			enabled: true;
			/** Chinese, for logs and the sysadmin's pages: where to and how often, never a secret. */
			describe: string;
			/** The Litestream config file's text (secrets only as ${VAR}). */
			yaml: string;
			/** Absolute path of the database it replicates. */
			database: string;
			replicas: ReplicaKind[];
			/** How often new writes are shipped to the replica, in milliseconds. */
			syncIntervalMs: number;
	  };

/** The configuration in the environment is unusable; the message (Chinese) lists every problem. */
export class ReplicationConfigError extends Error {
	constructor(readonly problems: string[]) {
		super(`数据库复制的配置有误：${problems.join('；')}`);
		this.name = 'ReplicationConfigError';
	}
}

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * A duration as Litestream (Go's time.ParseDuration) reads it — `1s`, `500ms`, `1h30m` — in
 * milliseconds, or null when it is not one (or is zero).
 */
export function parseDuration(text: string): number | null {
	if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) return null;
	let ms = 0;
	for (const [, n, , unit] of text.matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) ms += Number(n) * UNITS[unit!]!;
	return ms > 0 ? ms : null;
}

/** A value written literally: a YAML double-quoted string (JSON's escapes are a subset of YAML's). */
function literal(value: string): string {
	return JSON.stringify(value);
}

/** A value Litestream takes from the environment when it reads the file. */
function fromEnv(name: string): string {
	return `'\${${name}}'`;
}

/**
 * Litestream's configuration for the database at `databasePath`, from the environment:
 * REPLICA_DIR (a directory, ideally on another disk), REPLICA_S3_* (S3 or an S3-compatible
 * store such as MinIO; credentials LITESTREAM_ACCESS_KEY_ID / LITESTREAM_SECRET_ACCESS_KEY),
 * REPLICA_SFTP_* (another machine over SFTP). Any of them turns replication on; several are
 * all replicated to. Throws ReplicationConfigError when a setting is unusable.
 */
export function replicationConfig(
	databasePath: string,
	env: Record<string, string | undefined> = process.env
): ReplicationConfig {
	const get = (name: string) => env[name]?.trim() || undefined;
	const dir = get('REPLICA_DIR');
	const bucket = get('REPLICA_S3_BUCKET');
	const sftpHost = get('REPLICA_SFTP_HOST');
	if (!dir && !bucket && !sftpHost) return { enabled: false, describe: REPLICATION_OFF_MESSAGE };

	const problems: string[] = [];
	const duration = (name: string, fallback: string) => {
		const text = get(name) ?? fallback;
		const ms = parseDuration(text);
		if (ms === null) problems.push(`${name} 应为时长，如 1s、10m、24h，而不是“${text}”`);
		return { text, ms: ms ?? 0 };
	};
	const sync = duration('REPLICA_SYNC_INTERVAL', DEFAULT_SYNC_INTERVAL);
	const snapshot = duration('REPLICA_SNAPSHOT_INTERVAL', DEFAULT_SNAPSHOT_INTERVAL);
	const retention = duration('REPLICA_RETENTION', DEFAULT_RETENTION);
	const database = resolve(databasePath);

	// Litestream expands $VAR in the whole file, so a literal value must not contain `$`.
	const plain = (name: string, value: string) => {
		if (value.includes('$')) problems.push(`${name} 不能包含 $ 符号`);
		return literal(value);
	};
	if (database.includes('$')) problems.push('数据库路径不能包含 $ 符号');

	const replicas: ReplicaKind[] = [];
	const described: string[] = [];
	const blocks: string[][] = [];
	if (dir) {
		const path = resolve(dir);
		if (path === database || path.startsWith(`${database}-`))
			problems.push('REPLICA_DIR 不能是数据库文件本身');
		replicas.push('dir');
		described.push(`目录 ${path}`);
		blocks.push(['name: dir', 'type: file', `path: ${plain('REPLICA_DIR', path)}`]);
	}
	if (bucket) {
		const path = get('REPLICA_S3_PATH') ?? DEFAULT_REMOTE_PATH;
		const endpoint = get('REPLICA_S3_ENDPOINT');
		const region = get('REPLICA_S3_REGION');
		replicas.push('s3');
		described.push(`S3 存储 ${bucket}/${path}${endpoint ? `（${endpoint}）` : ''}`);
		blocks.push([
			'name: s3',
			'type: s3',
			`bucket: ${plain('REPLICA_S3_BUCKET', bucket)}`,
			`path: ${plain('REPLICA_S3_PATH', path)}`,
			// With an endpoint (MinIO, OSS, …) Litestream uses path-style addressing.
			...(endpoint ? [`endpoint: ${plain('REPLICA_S3_ENDPOINT', endpoint)}`] : []),
			...(region ? [`region: ${plain('REPLICA_S3_REGION', region)}`] : []),
			`access-key-id: ${fromEnv('LITESTREAM_ACCESS_KEY_ID')}`,
			`secret-access-key: ${fromEnv('LITESTREAM_SECRET_ACCESS_KEY')}`
		]);
	}
	if (sftpHost) {
		const user = get('REPLICA_SFTP_USER');
		const password = env.REPLICA_SFTP_PASSWORD;
		const keyPath = get('REPLICA_SFTP_KEY_PATH');
		const path = get('REPLICA_SFTP_PATH') ?? DEFAULT_REMOTE_PATH;
		if (!user) problems.push('设置了 REPLICA_SFTP_HOST 时还需设置 REPLICA_SFTP_USER');
		if (!password && !keyPath)
			problems.push('设置了 REPLICA_SFTP_HOST 时还需设置 REPLICA_SFTP_PASSWORD 或 REPLICA_SFTP_KEY_PATH');
		// The password is put into a single-quoted YAML string when Litestream expands it.
		if (password && /['\n\r]/.test(password))
			problems.push('REPLICA_SFTP_PASSWORD 不能包含单引号或换行，请换一个密码或改用 REPLICA_SFTP_KEY_PATH');
		replicas.push('sftp');
		described.push(`SFTP ${user ?? ''}@${sftpHost}:${path}`);
		blocks.push([
			'name: sftp',
			'type: sftp',
			`host: ${plain('REPLICA_SFTP_HOST', sftpHost.includes(':') ? sftpHost : `${sftpHost}:22`)}`,
			`user: ${plain('REPLICA_SFTP_USER', user ?? '')}`,
			...(password ? [`password: ${fromEnv('REPLICA_SFTP_PASSWORD')}`] : []),
			...(keyPath ? [`key-path: ${plain('REPLICA_SFTP_KEY_PATH', resolve(keyPath))}`] : []),
			`path: ${plain('REPLICA_SFTP_PATH', path)}`
		]);
	}
	if (problems.length) throw new ReplicationConfigError(problems);

	const timing = [
		`sync-interval: ${sync.text}`,
		`snapshot-interval: ${snapshot.text}`,
		`retention: ${retention.text}`
	];
	const yaml = [
		'# 由 npm start / npm run db:restore 按环境变量生成（src/lib/server/replication/config.ts），',
		'# 每次启动时覆盖，请勿手改。密钥不写入本文件，只写环境变量名，由 Litestream 读取时取值。',
		'dbs:',
		`  - path: ${literal(database)}`,
		'    replicas:',
		...blocks.flatMap((lines) =>
			[...lines, ...timing].map((line, i) => `${i === 0 ? '      - ' : '        '}${line}`)
		),
		''
	].join('\n');
	return {
		enabled: true,
		describe: `${described.join('，')}；每 ${sync.text} 同步，每 ${snapshot.text} 快照，保留 ${retention.text}`,
		yaml,
		database,
		replicas,
		syncIntervalMs: sync.ms
	};
}
