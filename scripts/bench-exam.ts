// npm run bench:exam — an exam window: 2,000 candidates saving answers through the built app at
// concurrency 20 with submissions mixed in, compared with the bare node:http + better-sqlite3
// server doing the same SQL writes on a copy of the same database (like bench:quiz); then,
// in process, releasing the results and computing item analysis for 2,000 submitted
// sittings of a 50-question paper. Prints one JSON line to stdout; progress goes to stderr.
//
// Env: BENCH_SECONDS (20), BENCH_CONCURRENCY (20), BENCH_CANDIDATES (2000),
// BENCH_WARMUP_SECONDS (3), BENCH_SUBMIT_EVERY (25), BENCH_POOL (sittings per candidate, 6).

import { join } from 'node:path';
import { attemptFields, createBenchDb, insertCadres } from './bench/database';
import { candidateIds, cloneSittings, createBenchExam, sessionCookie, startSitting } from './bench/exam-data';
import { target } from './bench/http';
import type { BenchUser, LoadOptions } from './bench/load';
import { printComparison, runSaves } from './bench/saves';
import { APP_ENTRY, benchWorkspace, ensureBuild, intEnv, progress } from './bench/process';
import { releaseResults, submitExam } from '../src/lib/server/exams';
import type { Db } from '../src/lib/server/db';

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
			fields: attemptFields(db, first, 'exam_attempt_items'),
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
	const { examId, actor, owner } = createBenchExam(
		db,
		{ opensAt, closesAt },
		1,
		new Date(opensAt.getTime() - 3_600_000)
	);
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

	progress('starting the app');
	const app = await startServer([APP_ENTRY], appDbPath, { LOG_LEVEL: 'silent' });
	const appResult = await runSaves('app', app, users, load);
	await app.stop();
	progress('starting the bare server');
	const bare = await startServer(['--import', 'tsx', 'scripts/bench/bare-server.ts'], bareDbPath);
	const bareResult = await runSaves('bare', bare, users, load);
	await bare.stop();

	t0 = performance.now();
	const release = await measureRelease();
	progress(
		`release of ${release.released} sittings: ${release.ms.toFixed(0)} ms (setup ${Math.round(performance.now() - t0)} ms in all)`
	);

	printComparison(appResult, bareResult, { release_ms: Math.round(release.ms), released: release.released });
}

await run(main);
