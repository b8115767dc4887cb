// What bench:quiz and bench:exam share: the same closed-loop load of answer-saves with
// submissions mixed in, run against the app and then the bare server, reported the same way.
import { cpuLoad, cpuSnapshot, type CpuLoad } from './cpu';
import type { Target } from './http';
import { percentile, runLoad, type BenchUser, type LoadOptions, type LoadResult } from './load';
import { progress } from './process';

/** One line per run on stderr: throughput, mix, latency, busy cores and any warnings. */
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
		// Kernel threads writing the WAL count as "others" too (~0.1–0.2 core for the bare
		// server); beyond that, another process is taking a good part of a core.
		if (cpu.others > 0.3)
			progress(`${name}: WARNING other processes were busy during this run: the numbers are unreliable`);
	}
	if (r.exhausted > 0)
		progress(`${name}: WARNING ${r.exhausted} users ran out of open attempts: raise BENCH_POOL`);
	for (const sample of r.errorSamples) progress(`${name} error: ${sample}`);
}

/** Runs the load against one server process and reports it. */
export async function runSaves(
	name: string,
	server: { pid: number | undefined; target: Target },
	users: BenchUser[],
	load: LoadOptions
): Promise<LoadResult> {
	progress(`${name}: ${load.warmupSeconds} s warm-up + ${load.seconds} s at concurrency ${load.concurrency}`);
	const before = cpuSnapshot(server.pid);
	const t = performance.now();
	const result = await runLoad(server.target, users, load);
	summary(name, result, cpuLoad(before, cpuSnapshot(server.pid), (performance.now() - t) / 1000));
	return result;
}

/** The JSON line on stdout: app and bare throughput, their ratio, the app's latency, and `extra`. */
export function printComparison(app: LoadResult, bare: LoadResult, extra: Record<string, number> = {}): void {
	if (app.ok === 0 || bare.ok === 0) process.exitCode = 1;
	const appRps = app.ok / app.seconds;
	const bareRps = bare.ok / bare.seconds;
	const round = (n: number, digits: number) => Number(n.toFixed(digits));
	console.log(
		JSON.stringify({
			app_rps: round(appRps, 1),
			bare_rps: round(bareRps, 1),
			ratio: round(bareRps > 0 ? appRps / bareRps : 0, 3),
			p50_ms: round(percentile(app.latencies, 50), 2),
			p99_ms: round(percentile(app.latencies, 99), 2),
			...extra
		})
	);
}
