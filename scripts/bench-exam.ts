// npm run bench:exam — an exam window: 2,000 candidates saving answers through the built app at
// concurrency 20 with submissions mixed in, compared with the bare node:http + better-sqlite3
// server doing the same SQL writes on a copy of the same database (like bench:quiz); then,
// in process, releasing the results and computing item analysis for 2,000 submitted
// sittings of a 50-question paper. Prints one JSON line to stdout; progress goes to stderr.
//
// Env: BENCH_SECONDS (20), BENCH_CONCURRENCY (20), BENCH_CANDIDATES (2000),
// BENCH_WARMUP_SECONDS (3), BENCH_SUBMIT_EVERY (25), BENCH_POOL (sittings per candidate, 6).

import { join } from 'node:path';
import { cpuLoad, cpuSnapshot, type CpuLoad } from './bench/cpu';
import { createBenchDb, insertCadres } from './bench/database';
import {
	candidateIds,
	cloneSittings,
	createBenchExam,
	sessionCookie,
	sittingFields,
	startSitting
} from './bench/exam-data';
import { target, type Target } from './bench/http';
import { percentile, runLoad, type BenchUser, type LoadOptions, type LoadResult } from './bench/load';
import { APP_ENTRY, benchWorkspace, ensureBuild, progress } from './bench/process';
import { releaseResults, submitExam } from '../src/lib/server/exams';
import type { Db } from '../src/lib/server/db';

function intEnv(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
	return n;
}

const load: LoadOptions = {
	seconds: intEnv('BENCH_SECONDS', 20),
	concurrency: intEnv('BENCH_CONCURRENCY', 20),
	warmupSeconds: intEnv('BENCH_WARMUP_SECONDS', 3),
	submitEvery: intEnv('BENCH_SUBMIT_EVERY', 25),
	actionPath: (attemptId, action) => `/exams/attempt/${attemptId}?/${action}`
};
const candidateCount = intEnv('BENCH_CANDIDATES', 2000);
const pool = intEnv('BENCH_POOL', 6);

const { workDir, run, startServer: startApp } = benchWorkspace('exam');

async function startServer(args: string[], databasePath: string, extraEnv: Record<string, string> = {}) {
	const { server, port, stop } = await startApp(args, { DATABASE_URL: databasePath, ...extraEnv });
	return { pid: server.pid, target: target(port, load.concurrency), stop };
}

function summary(name: string, r: LoadResult, cpu: CpuLoad | undefined): void {
	const ms = (p: number) => percentile(r.latencies, p).toFixed(2);
	progress(
		`${name}: ${r.ok} ok, ${r.errors} errors in ${r.seconds.toFixed(1)} s → ${(r.ok / r.seconds).toFixed(1)} req/s ` +
			`(${r.saves} saves, ${r.submits} submits); latency p50 ${ms(50)} ms, p90 ${ms(90)} ms, p99 ${ms(99)} ms, max ${ms(100)} ms`
	);
	if (cpu) {
		progress(
			`${name}: busy cores: server ${cpu.server.toFixed(2)}, load generator ${cpu.generator.toFixed(2)}, other processes ${cpu.others.toFixed(2)}`
		);
		if (cpu.others > 0.3)
			progress(`${name}: WARNING other processes were busy during this run: the numbers are unreliable`);
	}
	if (r.exhausted > 0)
		progress(`${name}: WARNING ${r.exhausted} candidates ran out of sittings: raise BENCH_POOL`);
	for (const sample of r.errorSamples) progress(`${name} error: ${sample}`);
}

/** 2,000 candidates with an open sitting each (plus copies), sessions, and their answer fields. */
async function prepareWindow(db: Db): Promise<BenchUser[]> {
	const now = Date.now();
	await insertCadres(db, candidateCount);
	const { examId } = createBenchExam(
		db,
		{ opensAt: new Date(now - 60_000), closesAt: new Date(now + 2 * 3_600_000) },
		pool
	);
	const ids = candidateIds(db, examId, candidateCount);
	if (ids.length < candidateCount) throw new Error(`only ${ids.length} candidates enrolled`);
	return ids.map((userId) => {
		const first = startSitting(db, userId, examId);
		return {
			username: String(userId),
			cookie: sessionCookie(db, userId),
			fields: sittingFields(db, first),
			attempts: cloneSittings(db, first, pool - 1)
		};
	});
}

/**
 * Milliseconds to release the results of 2,000 submitted sittings of the 50-question paper
 * (scores, counted results, notifications and item analysis), on a database of its own.
 */
async function measureRelease(): Promise<{ ms: number; released: number }> {
	const db = await createBenchDb(join(workDir, 'release.db'));
	await insertCadres(db, candidateCount);
	const opensAt = new Date(Date.now() - 3 * 3_600_000);
	const closesAt = new Date(Date.now() - 3_600_000);
	const { examId, actor, owner } = createBenchExam(db, { opensAt, closesAt }, 1);
	const ids = candidateIds(db, examId, candidateCount);
	const answer = db.$client.prepare(
		`UPDATE exam_attempt_items SET response = ?, answered_at = ? WHERE attempt_id = ? AND position = ?`
	);
	const satAt = new Date(opensAt.getTime() + 60_000);
	const submittedAt = new Date(opensAt.getTime() + 40 * 60_000);
	let t0 = performance.now();
	for (const userId of ids) {
		const attemptId = startSitting(db, userId, examId, satAt);
		const items = db.$client
			.prepare('SELECT position, snapshot FROM exam_attempt_items WHERE attempt_id = ? ORDER BY position')
			.all(attemptId) as { position: number; snapshot: string }[];
		db.$client.transaction(() => {
			for (const item of items) {
				const s = JSON.parse(item.snapshot) as { type: string; options: string[] };
				// Answers of mixed quality, so the item analysis has something to separate.
				const pick = Math.floor(Math.random() * Math.max(2, s.options.length));
				const response =
					s.type === 'truefalse'
						? pick % 2 === 0
						: s.type === 'multiple'
							? [pick, (pick + 1) % s.options.length]
							: pick;
				answer.run(JSON.stringify(response), satAt.getTime(), attemptId, item.position);
			}
		})();
		const submitted = submitExam(db, userId, attemptId, submittedAt);
		if (!submitted.ok) throw new Error(submitted.message);
	}
	progress(`${ids.length} sittings submitted in ${Math.round(performance.now() - t0)} ms; releasing`);
	t0 = performance.now();
	const released = releaseResults(db, actor, owner, examId, new Date());
	const ms = performance.now() - t0;
	if (!released.ok) throw new Error(`release refused: ${JSON.stringify(released.errors)}`);
	db.$client.close();
	return { ms, released: released.value.released };
}

async function main(): Promise<void> {
	ensureBuild();
	const appDbPath = join(workDir, 'app.db');
	const bareDbPath = join(workDir, 'bare.db');
	progress(`creating the database in ${workDir}`);
	const db = await createBenchDb(appDbPath);
	let t0 = performance.now();
	const users = await prepareWindow(db);
	progress(
		`${users.length} candidates with ${pool} sittings each prepared in ${Math.round(performance.now() - t0)} ms`
	);
	await db.$client.backup(bareDbPath);
	db.$client.close();

	const runOf = async (name: string, server: { pid: number | undefined; target: Target }) => {
		progress(
			`${name}: ${load.warmupSeconds} s warm-up + ${load.seconds} s at concurrency ${load.concurrency}`
		);
		const before = cpuSnapshot(server.pid);
		const t = performance.now();
		const result = await runLoad(server.target, users, load);
		summary(name, result, cpuLoad(before, cpuSnapshot(server.pid), (performance.now() - t) / 1000));
		return result;
	};

	progress('starting the app');
	const app = await startServer([APP_ENTRY], appDbPath, { LOG_LEVEL: 'silent' });
	const appResult = await runOf('app', app);
	await app.stop();
	progress('starting the bare server');
	const bare = await startServer(['--import', 'tsx', 'scripts/bench/bare-server.ts'], bareDbPath);
	const bareResult = await runOf('bare', bare);
	await bare.stop();

	t0 = performance.now();
	const release = await measureRelease();
	progress(
		`release of ${release.released} sittings: ${release.ms.toFixed(0)} ms (setup ${Math.round(performance.now() - t0)} ms in all)`
	);

	if (appResult.ok === 0 || bareResult.ok === 0) process.exitCode = 1;
	const appRps = appResult.ok / appResult.seconds;
	const bareRps = bareResult.ok / bareResult.seconds;
	const round = (n: number, digits: number) => Number(n.toFixed(digits));
	console.log(
		JSON.stringify({
			app_rps: round(appRps, 1),
			bare_rps: round(bareRps, 1),
			ratio: round(bareRps > 0 ? appRps / bareRps : 0, 3),
			p50_ms: round(percentile(appResult.latencies, 50), 2),
			p99_ms: round(percentile(appResult.latencies, 99), 2),
			release_ms: round(release.ms, 0),
			released: release.released
		})
	);
}

await run(main);
