// node scripts/serve.js — serves build/ with one process per core (node:cluster).
// One process spends most of its time in SvelteKit and HTTP on its single JavaScript
// thread; SQLite in WAL mode serves readers in every process at once, and writers take
// turns (src/lib/server/db/statements.ts: writeTransaction). See docs/ARCHITECTURE.md.
//
// The primary owns the port and hands each new connection to the worker with the fewest
// open connections. Node's own cluster round-robin gives the next connection to whichever
// worker acknowledges the last one first, i.e. the least busy at that instant; with the few
// long-lived keep-alive connections of a reverse proxy (or a load test) that left one worker
// with twice the connections of the other for as long as they lived, and its requests waited
// twice as long.
//
// Env: WORKERS (default: the number of cores), PORT (3000), HOST (0.0.0.0), SHUTDOWN_TIMEOUT,
// KEEP_ALIVE_TIMEOUT and HEADERS_TIMEOUT (seconds, as adapter-node reads them), REQUEST_TIMEOUT
// (seconds a client has to send a whole request, 3600 for large uploads), and everything
// build/handler.js reads (ORIGIN, PROTOCOL_HEADER, HOST_HEADER, ADDRESS_HEADER, DATABASE_URL,
// BODY_SIZE_LIMIT, ...).
//
// Without ORIGIN or PROTOCOL_HEADER, each request's own origin is its Host header and the
// scheme of its connection (see ownScheme()), so the app works when opened by IP or LAN name.
import cluster from 'node:cluster';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const RELAY = 'xuexi:relay';
const READY = 'xuexi:ready';
const CONNECTION = 'xuexi:connection';
const CLOSED = 'xuexi:closed';
const SCHEME_HEADER = 'x-xuexi-scheme';

/** A duration in seconds from the environment, or undefined when unset. */
function seconds(name) {
	const raw = process.env[name];
	if (!raw) return undefined;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < 0)
		throw new Error(`${name} must be a number of seconds, not ${raw}`);
	return value;
}

if (cluster.isPrimary) servePrimary();
else await serveWorker();

function servePrimary() {
	const count = Math.max(1, Number(process.env.WORKERS) || availableParallelism());
	const host = process.env.HOST || '0.0.0.0';
	const port = Number(process.env.PORT || 3000);
	/** Open connections of each worker that is ready to serve. */
	const open = new Map();
	const startedAt = new Map();
	let listening = false;
	let stopping = false;
	// One worker runs the background sweepers (overdue attempts, due notices, audit purge): the
	// first, and whichever replaces it if it dies.
	let sweeper;
	const fork = () => {
		const sweeps = !sweeper || sweeper.isDead();
		const worker = cluster.fork({ XUEXI_SWEEPERS: sweeps ? '1' : '0' });
		if (sweeps) sweeper = worker;
		startedAt.set(worker, Date.now());
	};
	const workers = () => Object.values(cluster.workers ?? {}).filter(Boolean);

	// pauseOnConnect: the primary reads nothing; the socket goes to a worker as it arrived.
	const balancer = createNetServer({ pauseOnConnect: true }, (socket) => {
		let target;
		for (const [worker, n] of open) if (!target || n < open.get(target)) target = worker;
		if (!target) return socket.destroy();
		open.set(target, open.get(target) + 1);
		target.send({ type: CONNECTION }, socket, (err) => {
			if (!err) return;
			// The worker went away while the socket was on its way: the client reconnects.
			socket.destroy();
			if (open.has(target)) open.set(target, open.get(target) - 1);
		});
	});
	balancer.on('error', (err) => {
		console.error(`cannot listen on ${host}:${port}: ${err.message}`);
		stop('SIGTERM', 1);
	});

	// The first worker applies migrations and syncs the content in its init hook; the others
	// start once it is ready, so two processes never migrate at the same time. The port opens
	// when all of them are ready.
	fork();
	cluster.on('message', (from, message) => {
		if (message?.type === READY) {
			open.set(from, 0);
			if (open.size === 1 && !listening) for (let i = 1; i < count; i++) fork();
			if (open.size === count && !listening && !stopping) {
				listening = true;
				balancer.listen(port, host, () =>
					console.log(`Listening on http://${host}:${port} (${count} worker${count > 1 ? 's' : ''})`)
				);
			}
		} else if (message?.type === CLOSED) {
			if (open.has(from)) open.set(from, Math.max(0, open.get(from) - 1));
		} else if (message?.type === RELAY) {
			// Live-quiz events (src/lib/server/live/bus.ts) reach the streams held by the other workers.
			for (const worker of workers()) if (worker !== from) worker.send(message);
		}
	});

	cluster.on('exit', (worker, code, signal) => {
		open.delete(worker);
		if (stopping) {
			if (workers().length === 0) process.exit(process.exitCode ?? 0);
			return;
		}
		// A worker that dies while starting (bad config, failed migration) would only die
		// again: stop instead of looping.
		if (!listening || Date.now() - startedAt.get(worker) < 5_000) {
			console.error(`worker ${worker.process.pid} failed while starting (${signal ?? code}); stopping`);
			stop('SIGTERM', code || 1);
			return;
		}
		console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
		fork();
	});

	function stop(signal, exitCode) {
		stopping = true;
		if (exitCode !== undefined) process.exitCode = exitCode;
		if (listening) balancer.close();
		// Each worker finishes the requests under way and closes its connections.
		for (const worker of workers()) worker.process.kill(signal);
		if (workers().length === 0) process.exit(process.exitCode ?? 0);
	}
	for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal));
}

async function serveWorker() {
	const trustsOwnScheme = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
	if (trustsOwnScheme) process.env.PROTOCOL_HEADER = SCHEME_HEADER;
	// adapter-node has one BODY_SIZE_LIMIT for every request. Media uploads stream up to 500 MB
	// (plus 1 MB of multipart) to disk, so it is set to that; the app holds every other body to
	// 8 MB itself (src/lib/server/form-posts.ts, with its Chinese 413) and each form checks its
	// own, smaller limit (spreadsheets: 5 MB). adapter-node reads a body only as the app pulls it,
	// so the larger limit costs no memory.
	process.env.BODY_SIZE_LIMIT ??= '501M';
	// Importing the handler runs the app's init hook (migrations, content sync) first.
	const { handler } = await import(pathToFileURL(resolve('build/handler.js')).href);
	// Requests start in the order they arrived (see fairly()).
	const app = trustsOwnScheme ? ownScheme(handler) : handler;
	const server = createHttpServer(fairly(withFixedHeaders(app)));
	const keepAlive = seconds('KEEP_ALIVE_TIMEOUT');
	if (keepAlive !== undefined) server.keepAliveTimeout = keepAlive * 1000;
	const headers = seconds('HEADERS_TIMEOUT');
	if (headers !== undefined) server.headersTimeout = headers * 1000;
	// Node gives a client 5 minutes to send a whole request; a 500 MB upload on a 10 Mbit/s line
	// takes 7. Slow clients are still cut off by HEADERS_TIMEOUT while sending headers.
	server.requestTimeout = (seconds('REQUEST_TIMEOUT') ?? 3600) * 1000;
	// The server never listens (the primary owns the port), but Node starts tracking its
	// connections (headers and request timeouts, closeIdleConnections) on 'listening'.
	server.emit('listening');

	const sockets = new Set();
	let stopping = false;
	process.on('message', (message, socket) => {
		if (message?.type !== CONNECTION || !socket) return;
		if (stopping) return socket.destroy();
		sockets.add(socket);
		socket.once('close', () => {
			sockets.delete(socket);
			if (process.connected) process.send({ type: CLOSED });
			if (stopping && sockets.size === 0) exit();
		});
		server.emit('connection', socket);
	});

	function exit() {
		process.emit('sveltekit:shutdown', 'SIGTERM');
		process.exit(0);
	}
	// As adapter-node does: finish the requests under way, close each connection once it is
	// idle, and after SHUTDOWN_TIMEOUT seconds close whatever is left.
	server.on('request', (req) => req.on('close', () => stopping && server.closeIdleConnections()));
	const shutdown = () => {
		if (stopping) return;
		stopping = true;
		server.closeIdleConnections();
		if (sockets.size === 0) return exit();
		setTimeout(
			() => {
				server.closeAllConnections();
				setTimeout(exit, 1_000).unref();
			},
			(seconds('SHUTDOWN_TIMEOUT') ?? 30) * 1000
		).unref();
	};
	process.on('SIGTERM', shutdown);
	process.on('SIGINT', shutdown);

	console.log(`worker ${process.pid} ready`);
	process.send({ type: READY });
}

/**
 * adapter-node takes the scheme from ORIGIN or a header and otherwise assumes https, so a
 * plain-HTTP intranet install failed its same-origin check on every login (the browser's
 * Origin was http://…). The scheme here is the connection's own, written into a header of our
 * own that replaces anything the client sent under that name. The host is the request's Host
 * header, so a cross-site form (Origin of another site) is still refused.
 */
function ownScheme(handler) {
	return (req, res) => {
		req.headers[SCHEME_HEADER] = req.socket.encrypted ? 'https' : 'http';
		if (!req.headers.host) {
			res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('请求缺少 Host 头');
			return;
		}
		handler(req, res);
	};
}

/**
 * The fixed security headers (src/lib/server/security-headers.ts sets them on what the app's
 * hook returns) also on what never reaches the hook: static files, SvelteKit's own CSRF
 * refusal and redirects thrown before the page runs.
 */
const FIXED_HEADERS = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	'x-frame-options': 'DENY'
};
function withFixedHeaders(handler) {
	return (req, res) => {
		for (const [name, value] of Object.entries(FIXED_HEADERS)) res.setHeader(name, value);
		handler(req, res);
	};
}

/**
 * Wraps a request handler so requests start in arrival order. Node starts a request as soon
 * as it reads it, in the order the kernel lists ready sockets; a connection whose next
 * request arrives while a batch is being served waits for the whole next batch, and the
 * same few connections did so again and again (half the throughput, twice the latency of
 * the others). Queued, and started ~1 ms of them per turn of the event loop, every request
 * read in between goes behind the ones already waiting. Measured (docs/PERFORMANCE.md):
 * equal latency on every connection, and more requests per second for pages and answer-saves.
 */
function fairly(handler) {
	const waiting = [];
	let scheduled = false;
	const next = () => {
		// Up to ~1 ms of requests per turn: long requests go one per turn, short ones share it.
		const started = performance.now();
		do {
			const [req, res] = waiting.shift();
			handler(req, res);
		} while (waiting.length > 0 && performance.now() - started < 1);
		if (waiting.length > 0) setImmediate(next);
		else scheduled = false;
	};
	return (req, res) => {
		waiting.push([req, res]);
		if (!scheduled) {
			scheduled = true;
			setImmediate(next);
		}
	};
}
