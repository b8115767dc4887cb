// npm run bench:quiz — quiz answer-saves and submissions through the built app, compared
// with a bare node:http + better-sqlite3 server doing the same SQL writes on a copy of
// the same database. Prints one JSON line to stdout; progress goes to stderr.
//
// Env: BENCH_SECONDS (20), BENCH_CONCURRENCY (20), BENCH_USERS (40), BENCH_CADRES (10000),
// BENCH_WARMUP_SECONDS (3), BENCH_SUBMIT_EVERY (10), BENCH_POOL (open attempts per user),
// BENCH_CPU_PROF (a directory: the app runs with --cpu-prof and writes its profile there).

import { join } from 'node:path';
import { inBatches, logIn, startModuleQuiz } from './bench/app';
import {
	attemptFields,
	BENCH_PASSWORD,
	clonePool,
	createBenchDb,
	insertCadres,
	liveModuleSlugs
} from './bench/database';
import { target } from './bench/http';
import type { BenchUser, LoadOptions } from './bench/load';
import { printComparison, runSaves } from './bench/saves';
import { APP_ENTRY, benchWorkspace, ensureBuild, intEnv, progress } from './bench/process';

const load: LoadOptions = {
	seconds: intEnv('BENCH_SECONDS', 20),
	concurrency: intEnv('BENCH_CONCURRENCY', 20),
	warmupSeconds: intEnv('BENCH_WARMUP_SECONDS', 3),
	submitEvery: intEnv('BENCH_SUBMIT_EVERY', 10)
};
// Every worker needs a user of its own, so one user's saves never race each other.
const userCount = Math.max(intEnv('BENCH_USERS', 40), load.concurrency);
const cadreCount = Math.max(intEnv('BENCH_CADRES', 10_000), userCount);
// Enough open attempts that even the bare server (the faster one: ~8k req/s measured on
// 2 cores, 12k assumed) never runs a user dry; a dry user is reported, not hidden.
const poolPerUser = intEnv(
	'BENCH_POOL',
	Math.ceil((12_000 * (load.seconds + load.warmupSeconds)) / load.submitEvery / userCount) + 10
);

const { workDir, run, startServer: startApp } = benchWorkspace('quiz');

/** Starts a server process on a free port and waits until GET /healthz answers 200. */
async function startServer(args: string[], databasePath: string, extraEnv: Record<string, string> = {}) {
	const { server, port, stop } = await startApp(args, { DATABASE_URL: databasePath, ...extraEnv });
	return { pid: server.pid, target: target(port, load.concurrency), stop };
}

async function main(): Promise<void> {
	ensureBuild();

	progress(`creating the database in ${workDir}`);
	const appDbPath = join(workDir, 'app.db');
	const bareDbPath = join(workDir, 'bare.db');
	const db = await createBenchDb(appDbPath);
	let t0 = performance.now();
	const cadres = await insertCadres(db, cadreCount);
	progress(
		`${cadres.length} extra cadres inserted in ${Math.round(performance.now() - t0)} ms (hash included)`
	);
	const slugs = liveModuleSlugs(db);
	if (slugs.length === 0) throw new Error('no live modules: is content/ in place?');

	progress('starting the app');
	const profile = process.env.BENCH_CPU_PROF
		? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
		: [];
	const app = await startServer([...profile, APP_ENTRY], appDbPath, { LOG_LEVEL: 'silent' });

	// Log in cadres spread over the whole list (and so over the offices), then start one
	// module quiz each, rotating through the modules.
	t0 = performance.now();
	const chosen = Array.from(
		{ length: userCount },
		(_, i) => cadres[Math.floor((i * cadres.length) / userCount)]!
	);
	const started = await inBatches(chosen, 4, async (cadre, i) => {
		const cookie = await logIn(app.target, cadre.username, BENCH_PASSWORD);
		const attemptId = await startModuleQuiz(app.target, cookie, slugs[i % slugs.length]!);
		return { username: cadre.username, cookie, attemptId };
	});
	progress(
		`${started.length} cadres logged in and quizzes started in ${Math.round(performance.now() - t0)} ms`
	);

	t0 = performance.now();
	const deadline = new Date(Date.now() + (load.warmupSeconds + load.seconds) * 1000 + 15 * 60_000);
	const users: BenchUser[] = started.map((s) => ({
		username: s.username,
		cookie: s.cookie,
		fields: attemptFields(db, s.attemptId),
		attempts: clonePool(db, s.attemptId, poolPerUser - 1, deadline)
	}));
	// The bare server gets the same state: same sessions, same attempts, same ids.
	await db.$client.backup(bareDbPath);
	db.$client.close();
	progress(
		`${poolPerUser} open attempts per user prepared and the database copied in ${Math.round(performance.now() - t0)} ms`
	);

	const appResult = await runSaves('app', app, users, load);
	await app.stop();

	progress('starting the bare server');
	const bare = await startServer(['--import', 'tsx', 'scripts/bench/bare-server.ts'], bareDbPath);
	const bareResult = await runSaves('bare', bare, users, load);
	await bare.stop();

	printComparison(appResult, bareResult);
}

await run(main);
