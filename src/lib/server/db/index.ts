import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { BaseSQLiteDatabase, SQLiteTransactionConfig } from 'drizzle-orm/sqlite-core';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as schema from './schema';

type DrizzleDb = BetterSQLite3Database<typeof schema>;
type DrizzleTx = Parameters<Parameters<DrizzleDb['transaction']>[0]>[0];
// Drizzle's database and its transactions as createDb hands them out: each carries the
// better-sqlite3 connection it runs on as `$client` (Drizzle's name for it on the database),
// transactions too, so statements prepared on that connection (db/statements.ts) run in them.
export interface Db extends DrizzleDb {
	$client: Database.Database;
	transaction<R>(work: (tx: Tx) => R, config?: SQLiteTransactionConfig): R;
}
/** A transaction on the database (its connection included). */
export interface Tx extends DrizzleTx {
	$client: Database.Database;
	transaction<R>(work: (tx: Tx) => R): R;
}
/** The database or a transaction on it: what a function takes when it may run inside a caller's transaction. */
export interface Queryable extends BaseSQLiteDatabase<'sync', Database.RunResult, typeof schema> {
	$client: Database.Database;
	transaction<R>(work: (tx: Tx) => R, config?: SQLiteTransactionConfig): R;
}

export const DEFAULT_DATABASE_URL = 'data/app.db';
/** How long a statement waits for another process's write lock before failing. */
export const BUSY_TIMEOUT_MS = 5_000;

/** Where the generated migrations live; they ship beside the build. */
export function migrationsFolder(): string {
	return resolve(process.env.MIGRATIONS_DIR ?? 'drizzle');
}

/**
 * Opens a database file (or ':memory:') with the pragmas we rely on:
 * WAL so readers never block the writer, foreign keys enforced, and a busy
 * timeout so another process (the other app workers, backup, seed) is waited for.
 */
export function createDb(path: string): Db {
	if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
	const sqlite = new Database(path);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
	// While Litestream replicates the database (scripts/start.ts sets LITESTREAM=1 for the app
	// it runs), Litestream must own the WAL checkpoints: it copies WAL pages to the replica
	// before it lets a checkpoint move them into the database, and an app checkpoint racing it
	// (SQLite's automatic one every 1000 pages) can make it lose its place and start the
	// replica over with a full snapshot (litestream.io/tips: disable autocheckpoints). Litestream
	// checkpoints itself past 1000 WAL pages and every minute. Nothing else in the app
	// checkpoints (no wal_checkpoint anywhere in src/ or scripts/).
	if (process.env.LITESTREAM === '1') sqlite.pragma('wal_autocheckpoint = 0');
	// Several app processes share the file (scripts/serve.js). A DEFERRED transaction that
	// reads and then writes fails with SQLITE_BUSY_SNAPSHOT when another process wrote in
	// between, so every transaction takes the write lock up front unless told otherwise.
	return connected(drizzle(sqlite, { schema }), sqlite, { behavior: 'immediate' });
}

/** Puts the connection on a database or transaction, and on every transaction begun from it. */
function connected(q: DrizzleDb, sqlite: Database.Database, defaults: SQLiteTransactionConfig): Db;
function connected(q: DrizzleTx, sqlite: Database.Database): Tx;
function connected(
	q: DrizzleDb | DrizzleTx,
	sqlite: Database.Database,
	defaults: SQLiteTransactionConfig = {}
) {
	const transaction = q.transaction.bind(q);
	return Object.assign(q, {
		$client: sqlite,
		transaction: <R>(work: (tx: Tx) => R, config?: SQLiteTransactionConfig): R =>
			transaction((tx) => work(connected(tx, sqlite)), { ...defaults, ...config })
	});
}

export function migrateDb(db: Db): void {
	migrate(db, { migrationsFolder: migrationsFolder() });
}

let appDb: Db | undefined;

/** The app's database, from DATABASE_URL (default data/app.db), opened once. */
export function getDb(): Db {
	appDb ??= createDb(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
	return appDb;
}
