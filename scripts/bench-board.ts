// npm run bench:board — the office leaderboard, a cadre's own rank and the office
// dashboard through the built app on a database of 100,000 users in 200 offices with
// 10 million ledger rows, each compared with the bare SQL the request runs (the same
// domain functions called in-process). Prints one JSON line to stdout; progress goes
// to stderr. A page measured while other processes were busy is measured again (up to 3 times).
//
// Env: BENCH_SECONDS (15 per page), BENCH_CONCURRENCY (20), BENCH_WARMUP_SECONDS (5: a fresh
// process spends its first seconds optimising code and sizing its heap, and its stalls then
// would be most of a 15 s run's p99; a server runs for days),
// BENCH_SQL_SECONDS (3 per page), BENCH_BOARD_USERS (100000), BENCH_BOARD_OFFICES (200),
// BENCH_BOARD_ROWS (10000000), BENCH_BOARD_DB (a path: generate the database there once
// and reuse it on later runs instead of a temp copy; it is kept), BENCH_PAGES (a comma list of
// page names to measure, all by default), BENCH_CPU_PROF (a directory: the app writes a CPU profile there),
// BENCH_NODE_FLAGS (extra Node options for the app, e.g. `--trace-gc`).
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { logIn } from './bench/app';
import { BOARD_PASSWORD, findKnownUsers, generateBoardDb, type KnownUser } from './bench/board-data';
import { get, runGetLoad, type GetLoadResult } from './bench/board-load';
import { dashboardSteps, rankSteps, timeSteps, type BenchViewer, type SqlTiming } from './bench/board-sql';
import { cpuLoad, cpuSnapshot } from './bench/cpu';
import { target, type Target } from './bench/http';
import { percentile } from './bench/load';
import { APP_ENTRY, benchWorkspace, ensureBuild, intEnv, progress } from './bench/process';
import { createDb } from '../src/lib/server/db';

const load = {
	seconds: intEnv('BENCH_SECONDS', 15),
	warmupSeconds: intEnv('BENCH_WARMUP_SECONDS', 5),
	concurrency: intEnv('BENCH_CONCURRENCY', 20)
};
const sqlSeconds = intEnv('BENCH_SQL_SECONDS', 3);
const data = {
	users: intEnv('BENCH_BOARD_USERS', 100_000),
	offices: intEnv('BENCH_BOARD_OFFICES', 200),
	ledgerRows: intEnv('BENCH_BOARD_ROWS', 10_000_000),
	days: 400
};
// p99 target for every page (docs/PERFORMANCE.md).
const TARGET_P99_MS = 50;
const MAX_TRIES = 3;

const { workDir, run, startServer } = benchWorkspace('board');

/** Waits (at most a minute) until the machine has been nearly idle for a second: no one else's compile or test. */
async function waitForQuiet(): Promise<void> {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		const before = cpuSnapshot(undefined);
		await new Promise((r) => setTimeout(r, 1_000));
		const busy = cpuLoad(before, cpuSnapshot(undefined), 1);
		if (!busy || busy.others < 0.1) return;
	}
	progress('the machine did not go quiet within a minute: measuring anyway');
}

/**
 * This VM is shared: a measurement taken while other processes were busy is taken again
 * (after waiting for a quiet moment), up to MAX_TRIES times; the last one is kept.
 * `serverPid` is the process under test (undefined when the work runs in this process).
 */
async function whileQuiet<T>(
	name: string,
	serverPid: number | undefined,
	measure: () => Promise<T>
): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		await waitForQuiet();
		const before = cpuSnapshot(serverPid);
		const t0 = performance.now();
		const result = await measure();
		const cpu = cpuLoad(before, cpuSnapshot(serverPid), (performance.now() - t0) / 1000);
		if (!cpu) return result;
		progress(
			`${name}: busy cores: ${serverPid === undefined ? '' : `server ${cpu.server.toFixed(2)}, load generator `}` +
				`${cpu.generator.toFixed(2)}${serverPid === undefined ? ' (this process)' : ''}, other processes ${cpu.others.toFixed(2)}`
		);
		if (cpu.others <= 0.3) return result;
		progress(
			`${name}: WARNING other processes were busy during this run: the numbers are unreliable${attempt < MAX_TRIES ? ', measuring again' : ''}`
		);
		if (attempt >= MAX_TRIES) return result;
	}
}

/** The pages measured, in order: who asks, and the SQL the request runs. */
interface Page {
	name: 'leaderboard' | 'my_rank' | 'dashboard';
	path: string;
	as: 'admin' | 'cadre';
	/** A cheap check that the first answer is the page we meant (not a login page or an error page). */
	expect: string;
}

const PAGES: Page[] = [
	{ name: 'leaderboard', path: '/rank?period=month', as: 'admin', expect: '测试单位001' },
	{ name: 'my_rank', path: '/rank/__data.json?period=all', as: 'cadre', expect: '"type":"data"' },
	{ name: 'dashboard', path: '/office/dashboard?period=month', as: 'admin', expect: '测试单位001' }
];

const only = process.env.BENCH_PAGES?.split(',');
const selected = PAGES.filter((p) => !only || only.includes(p.name));

async function databasePath(): Promise<{ path: string; admin: KnownUser; cadre: KnownUser }> {
	const keep = process.env.BENCH_BOARD_DB;
	const path = keep ? resolve(keep) : join(workDir, 'board.db');
	if (keep && existsSync(path)) {
		progress(`reusing ${path}`);
		return { path, ...findKnownUsers(path) };
	}
	progress(
		`generating ${data.users} users in ${data.offices} offices and ${data.ledgerRows} ledger rows in ${path}`
	);
	const t0 = performance.now();
	// Written under another name first, so an interrupted generation is never reused as complete.
	const partial = keep ? `${path}.partial` : path;
	if (keep) rmSync(partial, { force: true });
	const made = await generateBoardDb(partial, { ...data, now: new Date(), log: progress });
	if (keep) renameSync(partial, path);
	const seconds = (performance.now() - t0) / 1000;
	progress(
		`generation took ${seconds.toFixed(1)} s: ${made.ledgerRows} ledger rows, ${made.periodRows} points_period rows; ` +
			`steps ${JSON.stringify(made.timings)}`
	);
	if (seconds > 300) progress('WARNING generation took longer than the 5-minute budget');
	return { path, admin: made.admin, cadre: made.cadre };
}

function summary(name: string, r: GetLoadResult, sql: SqlTiming): void {
	const ms = (p: number) => percentile(r.latencies, p).toFixed(2);
	progress(
		`${name}: ${r.ok} ok, ${r.errors} errors in ${r.seconds.toFixed(1)} s → ${(r.ok / r.seconds).toFixed(1)} req/s; ` +
			`latency p50 ${ms(50)} ms, p90 ${ms(90)} ms, p99 ${ms(99)} ms, max ${ms(100)} ms`
	);
	progress(
		`${name}: bare SQL p50 ${sql.p50_ms.toFixed(3)} ms over ${sql.iterations} runs; per step p50 (ms) ${JSON.stringify(sql.steps)}`
	);
	for (const sample of r.errorSamples) progress(`${name} error: ${sample}`);
}

async function main(): Promise<void> {
	ensureBuild();
	const db = await databasePath();

	progress('starting the app');
	const profile = process.env.BENCH_CPU_PROF
		? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
		: [];
	const nodeFlags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
	const { server, port, stop } = await startServer(
		[...profile, ...nodeFlags, APP_ENTRY],
		{ DATABASE_URL: db.path, LOG_LEVEL: 'silent' },
		120_000
	);
	const t: Target = target(port, load.concurrency);

	const cookies = {
		admin: await logIn(t, db.admin.username, BOARD_PASSWORD),
		cadre: await logIn(t, db.cadre.username, BOARD_PASSWORD)
	};
	for (const page of selected) {
		const reply = await get(t, page.path, cookies[page.as]);
		if (reply.status !== 200 || !reply.body.includes(page.expect)) {
			throw new Error(
				`GET ${page.path} as ${page.as}: ${reply.status}, expected a page containing ${page.expect}: ${reply.body.slice(0, 300)}`
			);
		}
	}

	const results = new Map<Page['name'], GetLoadResult>();
	for (const page of selected) {
		const result = await whileQuiet(page.name, server.pid, () => {
			progress(
				`${page.name}: GET ${page.path} as ${page.as}, ${load.warmupSeconds} s warm-up + ${load.seconds} s at concurrency ${load.concurrency}`
			);
			return runGetLoad(t, page.path, cookies[page.as], load);
		});
		results.set(page.name, result);
	}
	t.agent.destroy();
	await stop();

	// The bare SQL, on its own connection to the same file, with nothing else running.
	progress('timing the bare SQL of each page');
	const conn = createDb(db.path);
	const viewer = (u: KnownUser, role: BenchViewer['role'], cookie: string): BenchViewer => ({
		id: u.id,
		role,
		officeId: u.officeId,
		token: cookie.slice('session='.length)
	});
	const admin = viewer(db.admin, 'office_admin', cookies.admin);
	const cadre = viewer(db.cadre, 'cadre', cookies.cadre);
	const timing = { seconds: sqlSeconds, minIterations: 20, maxIterations: 5_000 };
	const steps = {
		leaderboard: () => rankSteps(conn, admin, 'month'),
		my_rank: () => rankSteps(conn, cadre, 'all'),
		dashboard: () => dashboardSteps(conn, admin, 'month')
	};
	const sql = {} as Record<Page['name'], SqlTiming>;
	for (const page of selected)
		sql[page.name] = await whileQuiet(`${page.name} SQL`, undefined, async () =>
			timeSteps(steps[page.name](), timing)
		);
	conn.$client.close();

	const round = (n: number, digits: number) => Number(n.toFixed(digits));
	const pages: Record<string, { rps: number; p50_ms: number; p99_ms: number; sql_ratio: number }> = {};
	for (const page of selected) {
		const r = results.get(page.name)!;
		summary(page.name, r, sql[page.name]);
		if (r.ok === 0 || r.errors > 0) process.exitCode = 1;
		const p50 = percentile(r.latencies, 50);
		const p99 = percentile(r.latencies, 99);
		pages[page.name] = {
			rps: round(r.ok / r.seconds, 1),
			p50_ms: round(p50, 2),
			p99_ms: round(p99, 2),
			sql_ratio: round(p50 / sql[page.name].p50_ms, 2)
		};
		progress(
			`${page.name}: p99 ${p99.toFixed(2)} ms ${p99 < TARGET_P99_MS ? 'meets' : 'MISSES'} the ${TARGET_P99_MS} ms target`
		);
	}
	console.log(JSON.stringify({ pages }));
}

await run(main);
