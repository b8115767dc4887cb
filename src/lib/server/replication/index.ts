// Replication of the database with Litestream: its configuration (config.ts), running it beside
// the app (scripts/start.ts: `litestream replicate -exec`, so Litestream supervises the app and
// both stop together) and restoring from the replica (restore.ts, npm run db:restore).
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { ReplicationConfig } from './config';

export * from './config';

/**
 * The environment the app runs with while Litestream replicates its database: createDb
 * (db/index.ts) then leaves checkpoints to Litestream.
 */
export const REPLICATING_ENV = { LITESTREAM: '1' } as const;

/**
 * Whether this process runs under Litestream, i.e. its database is being replicated right now
 * (a replica configured but the app started without `npm start` is not replicated).
 */
export function isReplicating(env: Record<string, string | undefined> = process.env): boolean {
	return env.LITESTREAM === REPLICATING_ENV.LITESTREAM;
}

/**
 * The Litestream binary shipped by the npm package `@flydotio/litestream` (one optional
 * dependency per platform). Called directly rather than through the package's `litestream`
 * wrapper script, which neither passes signals on nor returns Litestream's exit code.
 */
export function litestreamBinary(): string {
	const pkg = `@flydotio/litestream-${process.platform}-${process.arch}`;
	let path: string;
	try {
		path = join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), 'litestream');
	} catch {
		throw new Error(`没有找到 Litestream 程序（${pkg}）：请在项目目录执行 npm ci`);
	}
	if (!existsSync(path)) throw new Error(`没有找到 Litestream 程序：${path}；请在项目目录执行 npm ci`);
	return path;
}

/** Where `npm start` writes the Litestream config of a database: beside it. */
export function configFileFor(databasePath: string): string {
	return `${resolve(databasePath)}.litestream.yml`;
}

/** Writes the config beside the database and returns its path. */
export function writeReplicationConfig(config: Extract<ReplicationConfig, { enabled: true }>): string {
	const file = configFileFor(config.database);
	writeFileSync(file, config.yaml);
	return file;
}

/** A word as Litestream's -exec splits its command line (shell words): quoted when it needs to be. */
function shellWord(word: string): string {
	return /^[\w./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that replicates the database and runs `serve` (the app) under Litestream: it
 * starts the app once it has opened the database, passes SIGINT/SIGTERM on to it, and exits
 * (after a last sync) when the app exits. Run it with REPLICATING_ENV in the environment.
 */
export function replicateCommand(
	configFile: string,
	serve: string[] = [process.execPath, 'scripts/serve.js']
): { command: string; args: string[] } {
	return {
		command: litestreamBinary(),
		args: ['replicate', '-config', configFile, '-exec', serve.map(shellWord).join(' ')]
	};
}
