// Several app processes share one SQLite file (scripts/serve.js): writers must take
// turns without failing half-way and without stalling a process for long.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, migrateDb, type Db } from '../../src/lib/server/db';
import { offices } from '../../src/lib/server/db/schema';
import { writeTransaction } from '../../src/lib/server/db/statements';

let dir: string;
let path: string;
let db: Db;
let other: Db;

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'xuexi-concurrency-'));
	path = join(dir, 'app.db');
	db = createDb(path);
	migrateDb(db);
	other = createDb(path);
});

afterEach(() => {
	db.$client.close();
	other.$client.close();
	rmSync(dir, { recursive: true, force: true });
});

const officeNames = (d: Db) =>
	d
		.select({ name: offices.name })
		.from(offices)
		.all()
		.map((o) => o.name);
const busyTimeout = (d: Db) => d.$client.pragma('busy_timeout', { simple: true });
const addOffice = (d: Db, name: string, code: string) =>
	d.$client.prepare('INSERT INTO offices (name, code) VALUES (?, ?)').run(name, code);

/** Another process that takes the write lock, inserts an office, holds the lock for `holdMs`, then commits. */
function holdWriteLock(holdMs: number): { locked: Promise<void>; done: Promise<number> } {
	const child = spawn(
		process.execPath,
		[
			'-e',
			`const D = require('better-sqlite3'); const d = new D(${JSON.stringify(path)});
			d.exec("BEGIN IMMEDIATE; INSERT INTO offices (name, code) VALUES ('另一进程写入', 'other-process')");
			console.log('locked');
			setTimeout(() => { d.exec('COMMIT'); d.close(); }, ${holdMs});`
		],
		{ stdio: ['ignore', 'pipe', 'inherit'] }
	);
	const locked = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
	const done = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
	return { locked, done };
}

describe('writeTransaction', () => {
	it('waits for another process holding the write lock, then writes', async () => {
		const holder = holdWriteLock(300);
		await holder.locked;
		const started = performance.now();
		writeTransaction(db, () => addOffice(db, '本进程写入', 'this-process'));
		expect(performance.now() - started).toBeGreaterThan(150);
		expect(await holder.done).toBe(0);
		expect(officeNames(db).sort()).toEqual(['另一进程写入', '本进程写入'].sort());
		// The usual busy timeout is back for statements outside writeTransaction.
		expect(busyTimeout(db)).toBe(5000);
	});

	it('gives up with SQLITE_BUSY after the wait, having written nothing', () => {
		other.$client.exec('BEGIN IMMEDIATE');
		expect(() => writeTransaction(db, () => addOffice(db, '等不到锁', 'never'), 100)).toThrow(
			expect.objectContaining({ code: 'SQLITE_BUSY' })
		);
		other.$client.exec('ROLLBACK');
		expect(officeNames(db)).toEqual([]);
		expect(busyTimeout(db)).toBe(5000);
	});

	it('rolls back everything when the work fails', () => {
		expect(() =>
			writeTransaction(db, () => {
				addOffice(db, '半途而废', 'half');
				throw new Error('boom');
			})
		).toThrow('boom');
		expect(officeNames(db)).toEqual([]);
	});

	it('nests as a savepoint inside a transaction', () => {
		db.transaction(() => {
			addOffice(db, '外层', 'outer');
			writeTransaction(db, () => addOffice(db, '内层', 'inner'));
		});
		expect(officeNames(db).sort()).toEqual(['内层', '外层'].sort());
	});
});

describe('Drizzle transactions', () => {
	it('take the write lock when they begin, before their first write', () => {
		other.$client.pragma('busy_timeout = 0');
		db.transaction((tx) => {
			tx.select().from(offices).all(); // only a read so far
			expect(() => other.$client.exec('BEGIN IMMEDIATE')).toThrow(
				expect.objectContaining({ code: 'SQLITE_BUSY' })
			);
		});
		other.$client.exec('BEGIN IMMEDIATE');
		other.$client.exec('ROLLBACK');
	});
});
