// Child processes and ports for the benchmarks: free ports, health waits, clean shutdown.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Progress goes to stderr so stdout carries only the result line. */
/** A positive integer from the environment, or the fallback when unset. */
export function intEnv(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
	return n;
}

export function progress(message: string): void {
	process.stderr.write(`[bench] ${message}\n`);
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() =>
				typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))
			);
		});
	});
}

// The same inputs scripts/start.ts watches: a change to any of them means a stale build.
const SOURCES = ['src', 'static', 'package.json', 'svelte.config.js', 'vite.config.ts'];

function newestMtime(path: string): number {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Builds the app when build/index.js is missing or older than the sources. */
export function ensureBuild(): void {
	const builtAt = existsSync('build/index.js') ? statSync('build/index.js').mtimeMs : 0;
	if (builtAt >= Math.max(...SOURCES.map(newestMtime))) return;
	progress('build/ is missing or stale: running vite build');
	// Vite's own output would pollute stdout; send all of it to stderr.
	const build = spawnSync('npx', ['vite', 'build'], { stdio: ['ignore', 2, 2] });
	if (build.status !== 0) throw new Error(`vite build failed with status ${build.status}`);
}

/** How the app is served in production: one process per core (see scripts/serve.js). */
export const APP_ENTRY = 'scripts/serve.js';

/** Spawns a Node server; its stdout goes to our stderr (adapter-node prints "Listening on …"). */
export function spawnServer(args: string[], env: Record<string, string>): ChildProcess {
	return spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 2, 2] });
}

export async function waitForHealth(url: string, server: ChildProcess, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (server.exitCode !== null)
			throw new Error(`server exited with ${server.exitCode} before becoming healthy`);
		try {
			if ((await fetch(`${url}/healthz`)).status === 200) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 150));
	}
	throw new Error(`${url}/healthz did not answer 200 within ${timeoutMs / 1000} s`);
}

/** SIGTERM, then SIGKILL if the process has not exited after a few seconds. */
export async function stopServer(server: ChildProcess): Promise<void> {
	if (server.exitCode !== null || server.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
	server.kill('SIGTERM');
	const timer = setTimeout(() => server.kill('SIGKILL'), 5_000);
	await exited;
	clearTimeout(timer);
}

/**
 * A benchmark's scratch directory and the server processes it starts, cleaned up
 * by `cleanup()` (after `run(main)`) and on SIGINT/SIGTERM.
 */
export function benchWorkspace(name: string) {
	const workDir = mkdtempSync(join(tmpdir(), `xuexi-bench-${name}-`));
	const children = new Set<ChildProcess>();
	async function cleanup(): Promise<void> {
		await Promise.all([...children].map(stopServer));
		children.clear();
		rmSync(workDir, { recursive: true, force: true });
	}
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.on(signal, () => {
			progress(`${signal}: cleaning up`);
			void cleanup().finally(() => process.exit(130));
		});
	}
	/** Runs the benchmark; a failure is reported and sets the exit code; cleanup always runs. */
	async function run(main: () => Promise<void>): Promise<void> {
		try {
			await main();
		} catch (e) {
			progress(`failed: ${(e as Error).stack ?? String(e)}`);
			process.exitCode = 1;
		} finally {
			await cleanup();
		}
	}
	/**
	 * Starts a server process on a free port (PORT and ORIGIN set, `env` besides) and waits until
	 * GET /healthz answers 200; `stop()` ends it (cleanup does too).
	 */
	async function startServer(args: string[], env: Record<string, string>, timeoutMs?: number) {
		const port = await freePort();
		const server = spawnServer(args, { PORT: String(port), ORIGIN: `http://localhost:${port}`, ...env });
		children.add(server);
		await waitForHealth(`http://127.0.0.1:${port}`, server, timeoutMs);
		const stop = async () => {
			await stopServer(server);
			children.delete(server);
		};
		return { server, port, stop };
	}
	return { workDir, children, cleanup, run, startServer };
}
