// npm run bench:upload — the memory a media upload costs the server: the built app (as
// production runs it, scripts/serve.js) receives a 200 MB MP3 over HTTP from a school admin,
// while this script samples the resident memory (VmRSS, every 10 ms, and VmHWM) of each of the
// app's processes (after a 1 MB upload has loaded the upload code). Prints one JSON line to
// stdout; progress goes to stderr.
//
// Env: BENCH_UPLOAD_MB (200), BENCH_WORKERS (1: the upload lands in one worker, whose memory
// is what counts; with more, each is sampled and the largest growth reported).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { logIn } from './bench/app';
import { createBenchDb } from './bench/database';
import { target, type Target } from './bench/http';
import { APP_ENTRY, benchWorkspace, ensureBuild, progress } from './bench/process';
import { DEMO_PASSWORD } from '../src/lib/server/seed';

const MB = 1024 * 1024;
const uploadMb = Number(process.env.BENCH_UPLOAD_MB || 200);
const workers = Number(process.env.BENCH_WORKERS || 1);
const SAMPLE_MS = 10;

const { workDir, run, startServer } = benchWorkspace('upload');

// One MPEG-1 Layer III frame (128 kbit/s, 44.1 kHz, silent): repeated, a valid MP3 of any length.
const FRAME = Buffer.alloc(417);
FRAME.set([0xff, 0xfb, 0x90, 0x00]);

/** The app's processes: the primary and its workers (children found through /proc). */
function appPids(primary: number): number[] {
	const kids = readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.filter((pid) => {
			try {
				// The field after the command (which is in parentheses) and the state is the parent.
				const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
				return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === primary;
			} catch {
				return false;
			}
		})
		.map(Number);
	return [primary, ...kids];
}

/** VmRSS and VmHWM of a process, in bytes. */
function memory(pid: number): { rss: number; hwm: number } {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (field: string) =>
		Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
	return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Samples each process's RSS until stopped: baseline, peak. */
function sampler(pids: number[]) {
	const start = new Map(pids.map((pid) => [pid, memory(pid)]));
	const peak = new Map(pids.map((pid) => [pid, start.get(pid)!.rss]));
	const timer = setInterval(() => {
		for (const pid of pids) peak.set(pid, Math.max(peak.get(pid)!, memory(pid).rss));
	}, SAMPLE_MS);
	return () => {
		clearInterval(timer);
		return pids.map((pid) => {
			const end = memory(pid);
			const before = start.get(pid)!;
			// A high-water mark that rose during the upload is its exact peak (samples may miss one).
			const top = Math.max(peak.get(pid)!, end.hwm > before.hwm ? end.hwm : 0);
			return { pid, baselineMb: before.rss / MB, peakMb: top / MB, growthMb: (top - before.rss) / MB };
		});
	};
}

/** Streams the multipart upload (whole MP3 frames up to `bytes`) and returns the reply. */
function upload(t: Target, cookie: string, bytes: number): Promise<{ status: number; location: string }> {
	const boundary = '----xuexiBenchUpload';
	const head = Buffer.from(
		`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.mp3"\r\nContent-Type: audio/mpeg\r\n\r\n`
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
	const frames = Math.floor(bytes / FRAME.length);
	const chunk = Buffer.concat(Array(157).fill(FRAME)); // ~64 KB of whole frames
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: '127.0.0.1',
				port: t.port,
				path: '/author/media/upload',
				method: 'POST',
				headers: {
					origin: t.origin,
					cookie,
					'content-type': `multipart/form-data; boundary=${boundary}`,
					'content-length': head.length + frames * FRAME.length + tail.length
				}
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve({ status: res.statusCode ?? 0, location: String(res.headers.location) }));
			}
		);
		req.on('error', reject);
		let left = frames;
		const write = () => {
			while (left > 0) {
				const n = Math.min(157, left);
				left -= n;
				if (!req.write(n === 157 ? chunk : chunk.subarray(0, n * FRAME.length)))
					return void req.once('drain', write);
			}
			req.end(tail);
		};
		req.write(head);
		write();
	});
}

function filesUnder(dir: string): { path: string; size: number }[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		const s = statSync(path);
		return s.isDirectory() ? filesUnder(path) : [{ path, size: s.size }];
	});
}

async function main(): Promise<void> {
	ensureBuild();
	const dbPath = join(workDir, 'app.db');
	progress(`creating the database in ${workDir}`);
	(await createBenchDb(dbPath)).$client.close();

	const { server, port } = await startServer([APP_ENTRY], {
		DATABASE_URL: dbPath,
		LOG_LEVEL: 'silent',
		WORKERS: String(workers)
	});
	const t = target(port, 1);
	const cookie = await logIn(t, 'dangxiao', DEMO_PASSWORD);

	// The first upload loads the route's code (busboy, file-type, music-metadata) and warms the
	// JIT: not what an upload costs, so a 1 MB one goes first.
	await upload(t, cookie, MB);
	const pids = appPids(server.pid!);
	progress(`app processes: ${pids.join(', ')}; uploading ${uploadMb} MB`);
	const stop = sampler(pids);
	const started = performance.now();
	const reply = await upload(t, cookie, uploadMb * MB);
	const seconds = (performance.now() - started) / 1000;
	const processes = stop();
	if (reply.status !== 303 || !reply.location.includes('uploaded='))
		throw new Error(`the upload answered ${reply.status} ${reply.location}`);
	const mediaDir = join(workDir, 'media');
	const stored = filesUnder(mediaDir).filter((f) => !f.path.startsWith(join(mediaDir, 'tmp')));
	const worst = processes.reduce((a, b) => (b.growthMb > a.growthMb ? b : a));
	const round = (n: number) => Math.round(n * 10) / 10;
	progress(
		`${uploadMb} MB in ${seconds.toFixed(1)} s (${(uploadMb / seconds).toFixed(0)} MB/s); ` +
			`largest RSS growth ${worst.growthMb.toFixed(1)} MB (process ${worst.pid}: ${worst.baselineMb.toFixed(1)} → ${worst.peakMb.toFixed(1)} MB)`
	);
	console.log(
		JSON.stringify({
			uploadMb,
			storedBytes: stored.reduce((s, f) => s + f.size, 0),
			seconds: round(seconds),
			processes: processes.map((p) => ({
				pid: p.pid,
				baselineMb: round(p.baselineMb),
				peakMb: round(p.peakMb),
				growthMb: round(p.growthMb)
			})),
			peakGrowthMb: round(worst.growthMb)
		})
	);
}

void run(main);
