// node scripts/serve.js — serves build/ with one adapter-node process per core (node:cluster).
// One process spends most of its time in SvelteKit and HTTP on its single JavaScript
// thread; SQLite in WAL mode serves readers in every process at once, and writers take
// turns (src/lib/server/db/statements.ts: writeTransaction). See docs/ARCHITECTURE.md.
//
// Env: WORKERS (default: the number of cores), and everything build/index.js reads
// (PORT, HOST, ORIGIN, DATABASE_URL, ...).
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const RELAY = 'xuexi:relay';

if (cluster.isPrimary) {
	const count = Math.max(1, Number(process.env.WORKERS) || availableParallelism());
	const startedAt = new Map();
	let serving = false;
	let stopping = false;
	const fork = () => startedAt.set(cluster.fork(), Date.now());
	const workers = () => Object.values(cluster.workers ?? {}).filter(Boolean);

	// The first worker applies migrations and syncs the content in its init hook; the others
	// start once it listens, so two processes never migrate at the same time.
	fork();
	cluster.once('listening', () => {
		serving = true;
		for (let i = 1; i < count; i++) fork();
	});

	cluster.on('message', (from, message) => {
		// Live-quiz events (src/lib/server/live/bus.ts) reach the streams held by the other workers.
		if (message?.type !== RELAY) return;
		for (const worker of workers()) if (worker !== from) worker.send(message);
	});

	cluster.on('exit', (worker, code, signal) => {
		if (stopping) {
			if (workers().length === 0) process.exit(0);
			return;
		}
		// A worker that dies while starting (bad config, port taken, failed migration) would
		// only die again: stop instead of looping.
		if (!serving || Date.now() - startedAt.get(worker) < 5_000) {
			console.error(`worker ${worker.process.pid} failed while starting (${signal ?? code}); stopping`);
			stopping = true;
			for (const other of workers()) other.process.kill('SIGTERM');
			process.exitCode = code || 1;
			if (workers().length === 0) process.exit(process.exitCode);
			return;
		}
		console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
		fork();
	});

	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.on(signal, () => {
			stopping = true;
			// Each worker closes its server gracefully (adapter-node); the primary exits after the last.
			for (const worker of workers()) worker.process.kill(signal);
			if (workers().length === 0) process.exit(0);
		});
	}
} else {
	// adapter-node closes the server gracefully on SIGTERM/SIGINT, then the process would wait
	// forever on its channel to the primary: leave once the server is closed.
	process.on('sveltekit:shutdown', () => process.exit(0));
	await import(pathToFileURL(resolve('build/index.js')).href);
}
