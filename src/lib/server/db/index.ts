import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** The database or a transaction on it: what a function takes when it may run inside a caller's transaction. */
export type Queryable = BaseSQLiteDatabase<'sync', Database.RunResult, typeof schema>;

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
	const db = drizzle(sqlite, { schema }) as Db;
	// Several app processes share the file (scripts/serve.js). A DEFERRED transaction that
	// reads and then writes fails with SQLITE_BUSY_SNAPSHOT when another process wrote in
	// between, so every transaction takes the write lock up front unless told otherwise.
	const transaction = db.transaction.bind(db);
	db.transaction = (work, config) => transaction(work, { behavior: 'immediate', ...config });
	return db;
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
