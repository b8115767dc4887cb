import type Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS, type Queryable } from './index';

// Statements on the hot paths (every answer-save, submission, award, board and dashboard view)
// are prepared once per connection: a Drizzle query built per call costs 60–150 µs to build and
// prepare, a prepared statement ~8 µs (docs/PERFORMANCE.md). Each domain keeps them in one
// object in its statements.ts, made by `statements()`. There is one connection per database and
// its transactions share it (createDb), so a statement runs inside the caller's transaction.
const cache = new WeakMap<Database.Database, Map<unknown, unknown>>();

/** `build(q)` once per connection for this key, then its result again (the one cache for prepared statements). */
export function preparedOnce<T>(q: Queryable, key: unknown, build: (q: Queryable) => T): T {
	let prepared = cache.get(q.$client);
	if (!prepared) cache.set(q.$client, (prepared = new Map()));
	let value = prepared.get(key) as T | undefined;
	if (value === undefined) prepared.set(key, (value = build(q)));
	return value;
}

/**
 * A domain's statements: `build` returns them as one object, built once per connection on first
 * use. In it, Drizzle queries ended with `.prepare()` (values as `sql.placeholder('name')`) where
 * the builder expresses the query; `query`/`pluck` for raw SQL it cannot (JSON functions, FILTER,
 * recursive CTEs, literals a partial index needs); `q.$client.prepare` for writes (Drizzle's
 * `set()` takes no placeholders). Values bind as SQLite stores them: dates as `getTime()`,
 * booleans as `bit()`.
 */
export function statements<T>(build: (q: Queryable) => T): (q: Queryable) => T {
	return (q) => preparedOnce(q, build, build);
}

export interface Select<Out> {
	get(...params: unknown[]): Out | undefined;
	all(...params: unknown[]): Out[];
}

/** A raw SELECT whose rows, as SQLite names their columns (snake_case), `map` turns into our types. */
export function query<Row, Out>(q: Queryable, text: string, map: (row: Row) => Out): Select<Out> {
	const statement = q.$client.prepare<unknown[], Row>(text);
	return {
		get: (...params) => {
			const row = statement.get(...params);
			return row === undefined ? undefined : map(row);
		},
		all: (...params) => statement.all(...params).map(map)
	};
}

/** A raw SELECT of one column (no object per row), of type Value, or turned into our type by `map`. */
export function pluck<Value>(q: Queryable, text: string): Select<Value>;
export function pluck<Value, Out>(q: Queryable, text: string, map: (value: Value) => Out): Select<Out>;
export function pluck<Value, Out>(
	q: Queryable,
	text: string,
	map?: (value: Value) => Out
): Select<Value> | Select<Out> {
	const statement = q.$client.prepare<unknown[], Value>(text).pluck();
	if (!map) return statement;
	return {
		get: (...params) => {
			const value = statement.get(...params);
			return value === undefined ? undefined : map(value);
		},
		all: (...params) => statement.all(...params).map(map)
	};
}

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
	const connection = q.$client;
	// better-sqlite3 builds five wrapper functions per transaction(): once per connection.
	const run = preparedOnce(q, writeTransaction, () => connection.transaction((w: () => unknown) => w()));
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
