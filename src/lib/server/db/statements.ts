import type Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS, type Queryable } from './index';

/** The better-sqlite3 connection under a Drizzle database or any of its transactions. */
export function connectionOf(q: Queryable): Database.Database {
	// Drizzle keeps the connection on its session, and a transaction shares its database's session.
	return (q as unknown as { session: { client: Database.Database } }).session.client;
}

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * A statement prepared once per connection, for the hot paths (every answer-save,
 * submission, award and board view). A Drizzle query built per call costs 60–150 µs
 * to build and prepare, the prepared statement ~8 µs (docs/PERFORMANCE.md). There is
 * one connection per database, so inside a transaction the statement runs in it.
 * SQLite binds numbers, strings and null: pass dates as `getTime()`, booleans as 0/1.
 */
export function prepared(q: Queryable, text: string): Database.Statement {
	const connection = connectionOf(q);
	let statements = cache.get(connection);
	if (!statements) cache.set(connection, (statements = new Map()));
	let statement = statements.get(text);
	if (!statement) statements.set(text, (statement = connection.prepare(text)));
	return statement;
}

// better-sqlite3 builds five wrapper functions per transaction(); build them once per connection.
const runners = new WeakMap<Database.Database, Database.Transaction<(work: () => unknown) => unknown>>();
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `work` in one IMMEDIATE transaction (a savepoint when already inside one),
 * without the objects Drizzle builds for each transaction. IMMEDIATE takes the write
 * lock up front, so a transaction that reads and then writes never fails half-way
 * because another process wrote in between.
 *
 * While another app process holds the write lock, SQLite's own busy handler would
 * sleep 1, 2, 5, 10… ms between tries, stalling this whole process; a write here
 * holds the lock for ~50 µs, so this retries every 20–70 µs instead, for up to
 * `waitMs`, then fails with SQLITE_BUSY having written nothing.
 */
export function writeTransaction<T>(q: Queryable, work: () => T, waitMs = 5_000): T {
	const connection = connectionOf(q);
	let run = runners.get(connection);
	if (!run) runners.set(connection, (run = connection.transaction((w: () => unknown) => w())));
	if (connection.inTransaction) return run.immediate(work) as T;
	// Not prepared: SQLite applies a busy_timeout pragma when it is compiled, not when it runs.
	const wait = (ms: number) => connection.pragma(`busy_timeout = ${ms}`);
	const giveUpAt = Date.now() + waitMs;
	for (;;) {
		wait(0);
		try {
			return run.immediate(() => {
				wait(BUSY_TIMEOUT_MS); // statements inside wait as usual
				return work();
			}) as T;
		} catch (e) {
			wait(BUSY_TIMEOUT_MS);
			if ((e as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= giveUpAt) throw e;
		}
		Atomics.wait(pause, 0, 0, 0.02 + Math.random() * 0.05);
	}
}

/** SQLite's integer for a boolean (better-sqlite3 does not bind booleans). */
export const bit = (value: boolean): 0 | 1 => (value ? 1 : 0);
