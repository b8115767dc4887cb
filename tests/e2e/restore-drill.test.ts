// The restore drill (issue #19): the machine is lost under load, the database comes back from
// the Litestream replica on a fresh path, and we count what was acknowledged but lost.
//
// Real processes throughout: Litestream runs the app (`litestream replicate -exec serve.js`,
// as `npm start` does with REPLICA_DIR set); clients save answers over HTTP, each into a slot
// (attempt, question) nobody answered before, so a save that reached the replica is visible
// as an answered slot. Then kill -9 of the whole process group (app and Litestream), the
// database and its -wal/-shm deleted, `npm run db:restore` onto a new path, the app started
// there, and every acknowledged save looked up. Figures: test-results/restore-drill.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createSession } from '../../src/lib/server/auth/session';
import { createDb } from '../../src/lib/server/db';
import { startModuleAttempt } from '../../src/lib/server/quiz/attempts';
import { publicQuestion, type QuestionSnapshot } from '../../src/lib/server/quiz/questions';
import {
	replicateCommand,
	replicationConfig,
	REPLICATING_ENV,
	writeReplicationConfig
} from '../../src/lib/server/replication';
import { freePort } from './ports';

const SYNC_INTERVAL = '1s';
/** Litestream looks at the WAL once a second before a sync ships it: the margin on top. */
const MARGIN_MS = 1_000;
const CONCURRENCY = 8;
/** Saves per second in all: a province's busiest study week is a few hundred. */
const RATE = 300;
const LOAD_MS = 6_000;
/** Free slots to prepare: more than the load can use, so it never runs dry before the kill. */
const SLOTS_WANTED = Math.ceil(((RATE * LOAD_MS) / 1_000) * 1.5);

const dir = mkdtempSync(join(tmpdir(), 'xuexi-drill-'));
const running = new Set<ChildProcess>();
afterAll(async () => {
	for (const child of running) {
		try {
			process.kill(-child.pid!, 'SIGKILL');
		} catch {
			// already gone
		}
	}
	rmSync(dir, { recursive: true, force: true });
});

/** Starts a process in its own process group (so the whole group can be killed) and waits until it listens. */
async function startApp(
	command: string,
	args: string[],
	env: Record<string, string>,
	port: number
): Promise<{ child: ChildProcess; output: () => string }> {
	const child = spawn(command, args, {
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, LOG_LEVEL: 'warn', WORKERS: '2', PORT: String(port), ...env }
	});
	running.add(child);
	let output = '';
	const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
	child.stderr!.on('data', keep);
	const listening = new Promise<void>((resolve, reject) => {
		child.stdout!.on('data', (chunk: Buffer) => {
			keep(chunk);
			if (output.includes('Listening on')) resolve();
		});
		child.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${output}`)));
	});
	const timeout = new Promise<never>((_, reject) =>
		setTimeout(() => reject(new Error(`not listening within 30 s:\n${output}`)), 30_000).unref()
	);
	await Promise.race([listening, timeout]);
	return { child, output: () => output };
}

function run(command: string, args: string[], env: Record<string, string>) {
	return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
		const child = spawn(command, args, { env: { ...process.env, ...env } });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
		child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

function groupAlive(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

type Slot = { attemptId: number; position: number; cookie: string; fields: URLSearchParams };

/** The form a learner sends to answer this question (any answer will do: it is saved either way). */
function answerFields(position: number, snapshot: QuestionSnapshot): URLSearchParams {
	const q = publicQuestion(snapshot);
	const fields = new URLSearchParams({ position: String(position), go: 'stay' });
	if (q.type === 'single' || q.type === 'multiple') fields.append('choice', '0');
	else if (q.type === 'truefalse') fields.append('tf', 'true');
	else for (let i = 0; i < q.blanks; i++) fields.append('blank', '答案');
	return fields;
}

/** Starts enough module quizzes for cadres of the seeded database, each with a session. */
function prepareSlots(path: string): Slot[] {
	const db = createDb(path);
	try {
		const users = db.$client
			.prepare(
				`SELECT id, office_id AS officeId FROM users
				 WHERE role = 'cadre' AND active = 1 AND office_id IS NOT NULL AND must_change_password = 0
				 ORDER BY id`
			)
			.all() as { id: number; officeId: number }[];
		const modules = db.$client.prepare('SELECT id FROM modules ORDER BY id').pluck().all() as number[];
		const slots: Slot[] = [];
		for (const user of users) {
			const cookie = `session=${createSession(db, user.id).token}`;
			for (const moduleId of modules) {
				const started = startModuleAttempt(db, user, moduleId);
				if (!started.ok) continue;
				const open = db.$client
					.prepare(
						'SELECT position, snapshot FROM attempt_items WHERE attempt_id = ? AND response IS NULL ORDER BY position'
					)
					.all(started.attemptId) as { position: number; snapshot: string }[];
				for (const item of open) {
					const snapshot = JSON.parse(item.snapshot) as QuestionSnapshot;
					if (snapshot.type === 'essay') continue;
					slots.push({
						attemptId: started.attemptId,
						position: item.position,
						cookie,
						fields: answerFields(item.position, snapshot)
					});
				}
				if (slots.length >= SLOTS_WANTED) return slots;
			}
		}
		return slots;
	} finally {
		db.$client.close();
	}
}

describe('restore drill', () => {
	it('after kill -9 and a restore from the replica, no save acknowledged before the last sync interval is lost', async () => {
		const liveDir = join(dir, 'live');
		mkdirSync(liveDir);
		const live = join(liveDir, 'app.db');
		const replica = join(dir, 'replica');
		// A copy of the end-to-end tests' seeded database.
		const seed = new Database(inject('databasePath'), { readonly: true });
		await seed.backup(live);
		seed.close();
		const slots = prepareSlots(live);
		expect(slots.length).toBeGreaterThanOrEqual(SLOTS_WANTED);
		const attempts = new Set(slots.map((s) => s.attemptId)).size;

		const replication = { REPLICA_DIR: replica, REPLICA_SYNC_INTERVAL: SYNC_INTERVAL };
		const config = replicationConfig(live, replication);
		if (!config.enabled) throw new Error('replication should be on');
		// As `npm start` runs it: Litestream replicates and supervises the app.
		const { command, args } = replicateCommand(writeReplicationConfig(config));
		const port = await freePort();
		const base = `http://127.0.0.1:${port}`;
		const app = await startApp(
			command,
			args,
			{
				...replication,
				...REPLICATING_ENV,
				DATABASE_URL: live,
				BACKUP_DIR: join(dir, 'backups')
			},
			port
		);
		// Litestream has taken its first snapshot (it does within a second of starting).
		const deadline = Date.now() + 10_000;
		while (!existsSync(join(replica, 'generations')) && Date.now() < deadline)
			await new Promise((r) => setTimeout(r, 100));
		expect(existsSync(join(replica, 'generations')), app.output()).toBe(true);

		// The load: CONCURRENCY clients, RATE saves a second in all, each into a new slot.
		const acknowledged: { slot: Slot; at: number }[] = [];
		const refused: string[] = [];
		let next = 0;
		let killed = false;
		let killAt = 0;
		const client = async () => {
			const gap = (CONCURRENCY * 1_000) / RATE;
			let due = performance.now();
			while (!killed && next < slots.length) {
				const slot = slots[next++]!;
				try {
					const res = await fetch(`${base}/quiz/attempt/${slot.attemptId}?/answer`, {
						method: 'POST',
						redirect: 'manual',
						headers: {
							'content-type': 'application/x-www-form-urlencoded',
							origin: base,
							cookie: slot.cookie
						},
						body: slot.fields
					});
					const location = res.headers.get('location') ?? '';
					if (res.status === 303 && location.endsWith(`?q=${slot.position}`))
						acknowledged.push({ slot, at: Date.now() });
					else if (!killed) refused.push(`${res.status} ${location} ${await res.text()}`.slice(0, 300));
				} catch (err) {
					if (!killed) refused.push(`error: ${(err as Error).message}`);
				}
				due += gap;
				const wait = due - performance.now();
				if (wait > 0) await new Promise((r) => setTimeout(r, wait));
			}
		};
		const clients = Array.from({ length: CONCURRENCY }, client);
		await new Promise((r) => setTimeout(r, LOAD_MS));
		// The machine is lost: the app and Litestream die at once, mid-load.
		killAt = Date.now();
		killed = true;
		process.kill(-app.child.pid!, 'SIGKILL');
		await Promise.all(clients);
		while (groupAlive(app.child.pid!)) await new Promise((r) => setTimeout(r, 20));
		running.delete(app.child);
		expect(refused, 'every save before the kill was acknowledged').toEqual([]);
		expect(next, 'the load never ran out of new slots').toBeLessThan(slots.length);

		// …and its disk with it.
		for (const suffix of ['', '-wal', '-shm', '.litestream.yml']) rmSync(live + suffix, { force: true });
		expect(existsSync(live)).toBe(false);

		// On the new machine: the same settings, a fresh path.
		const restored = join(dir, 'restored', 'app.db');
		const restoreStarted = performance.now();
		const restore = await run('npx', ['tsx', 'scripts/restore.ts', '--to', restored], {
			...replication,
			DATABASE_URL: live
		});
		const restoreSeconds = Math.round((performance.now() - restoreStarted) / 10) / 100;
		expect(restore.code, restore.stderr).toBe(0);
		expect(restore.stdout).toContain('完整性检查：通过');
		expect(restore.stdout).toContain('无待应用');

		// The app starts on the restored database and serves it (the sessions came back too).
		const port2 = await freePort();
		const base2 = `http://127.0.0.1:${port2}`;
		const restarted = await startApp(
			process.execPath,
			['scripts/serve.js'],
			{ DATABASE_URL: restored },
			port2
		);
		expect((await fetch(`${base2}/healthz`)).status).toBe(200);
		const probe = acknowledged[0]!.slot;
		const page = await fetch(`${base2}/quiz/attempt/${probe.attemptId}?q=${probe.position}`, {
			headers: { cookie: probe.cookie }
		});
		expect(page.status).toBe(200);

		// Count the acknowledged saves that did not come back.
		const db = new Database(restored, { readonly: true });
		const answered = db.prepare(
			'SELECT response IS NOT NULL FROM attempt_items WHERE attempt_id = ? AND position = ?'
		);
		const lost = acknowledged.filter(({ slot }) => !answered.pluck().get(slot.attemptId, slot.position));
		db.close();
		process.kill(-restarted.child.pid!, 'SIGTERM');

		const syncMs = config.syncIntervalMs;
		const horizon = killAt - syncMs - MARGIN_MS;
		const lostOlder = lost.filter((l) => l.at < horizon);
		const figures = {
			acknowledged: acknowledged.length,
			lost: lost.length,
			lostWithinInterval: lost.length - lostOlder.length,
			lostOlderThanInterval: lostOlder.length,
			/** How long before the kill the oldest lost save was acknowledged (the recovery point measured). */
			oldestLostSecondsBeforeKill: lost.length
				? Math.round((killAt - Math.min(...lost.map((l) => l.at))) / 10) / 100
				: 0,
			syncInterval: SYNC_INTERVAL,
			marginSeconds: MARGIN_MS / 1_000,
			restoreSeconds,
			load: { concurrency: CONCURRENCY, savesPerSecond: RATE, seconds: LOAD_MS / 1_000, attempts },
			measuredAt: new Date().toISOString()
		};
		mkdirSync('test-results', { recursive: true });
		writeFileSync('test-results/restore-drill.json', `${JSON.stringify(figures, null, '\t')}\n`);
		console.log(`restore drill: ${JSON.stringify(figures)}\n${restore.stdout}`);

		expect(acknowledged.length).toBeGreaterThan((RATE * LOAD_MS) / 1_000 / 2);
		expect(
			lostOlder.map((l) => `${l.slot.attemptId}:${l.slot.position} at kill−${killAt - l.at} ms`)
		).toEqual([]);
	}, 90_000);
});
