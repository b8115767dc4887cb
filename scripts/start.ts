// npm start — builds if the build is missing or older than the sources, applies
// migrations, seeds demo data into an empty database, then serves build/ on PORT.
// npm run serve (production, `--production`) — the same without building or demo data: the
// deployed build/ is served as it is and an empty database stays empty. Either way, with a
// replica configured (REPLICA_DIR, REPLICA_S3_*, REPLICA_SFTP_*: src/lib/server/replication/),
// Litestream runs the app (`litestream replicate -exec`): it replicates the database while the
// app runs, passes Ctrl-C and SIGTERM on to it, and both stop together.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { networkInterfaces } from 'node:os';
import { createDb, DEFAULT_DATABASE_URL, migrateDb } from '../src/lib/server/db';
import { isEmpty } from '../src/lib/server/seed';
import { seedDemo } from '../src/lib/server/seed/demo';
import {
	replicateCommand,
	replicationConfig,
	REPLICATING_ENV,
	writeReplicationConfig
} from '../src/lib/server/replication';

const SOURCES = ['src', 'static', 'package.json', 'svelte.config.js', 'vite.config.ts'];

function newestMtime(path: string): number {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

const production = process.argv.includes('--production');
const builtAt = existsSync('build/index.js') ? statSync('build/index.js').mtimeMs : 0;
if (!production && builtAt < Math.max(...SOURCES.map(newestMtime))) {
	console.log('正在构建……');
	const build = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
	if (build.status !== 0) process.exit(build.status ?? 1);
}

const path = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
// Replication is read before the database is touched: a wrong setting (or a missing Litestream
// binary) stops the start with its reason.
let replication, replicate;
try {
	replication = replicationConfig(path);
	if (replication.enabled) replicate = replicateCommand(writeReplicationConfig(replication));
} catch (err) {
	console.error((err as Error).message);
	process.exit(1);
}
const db = createDb(path);
migrateDb(db);
if (!production && isEmpty(db)) {
	console.log(`数据库为空，正在载入演示数据：${await seedDemo(db)}`);
}
db.$client.close();

const port = process.env.PORT ?? '3000';
// Every address the app answers on: it serves whichever host and scheme it is reached by.
const addresses = Object.values(networkInterfaces())
	.flat()
	.filter((a) => a && a.family === 'IPv4' && !a.internal)
	.map((a) => `http://${a!.address}:${port}`);
console.log(`学习园地已启动：${[`http://localhost:${port}`, ...addresses].join('  ')}`);
const env = { ...process.env, PORT: port, DATABASE_URL: path };
let server;
if (replication.enabled && replicate) {
	console.log(`数据库复制：已开启（${replication.describe}）`);
	server = spawn(replicate.command, replicate.args, {
		stdio: 'inherit',
		env: { ...env, ...REPLICATING_ENV }
	});
} else {
	console.log(replication.describe);
	server = spawn(process.execPath, ['scripts/serve.js'], { stdio: 'inherit', env });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
