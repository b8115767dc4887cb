// Closed-loop GET load for the board benchmark: `concurrency` workers each send the next
// request as soon as the previous answer is read, for a fixed time, over keep-alive sockets.
import { request } from 'node:http';
import type { Target } from './http';

export interface GetReply {
	status: number;
	body: string;
}

/**
 * One GET, read to the end. Under load only a failure's body is decoded (`bodyOn200`
 * false): the generator shares the 2 cores with the server, so it does no more than needed.
 */
export function get(t: Target, path: string, cookie: string, bodyOn200 = true): Promise<GetReply> {
	return new Promise((resolve, reject) => {
		const req = request(
			{ host: '127.0.0.1', port: t.port, path, method: 'GET', agent: t.agent, headers: { cookie } },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const status = res.statusCode ?? 0;
					resolve({
						status,
						body: status === 200 && !bodyOn200 ? '' : Buffer.concat(chunks).toString('utf8')
					});
				});
				res.on('error', reject);
			}
		);
		req.on('error', reject);
		req.end();
	});
}

export interface GetLoadResult {
	seconds: number;
	ok: number;
	errors: number;
	/** Every measured request's latency in ms (errors included), sorted ascending. */
	latencies: Float64Array;
	errorSamples: string[];
}

/**
 * Requests `path` as fast as `concurrency` workers can for `seconds`, after
 * `warmupSeconds` whose requests are not counted (cold page cache, JIT).
 * A request counts when it starts inside the measured window.
 */
export async function runGetLoad(
	t: Target,
	path: string,
	cookie: string,
	o: { seconds: number; warmupSeconds: number; concurrency: number }
): Promise<GetLoadResult> {
	const measureFrom = performance.now() + o.warmupSeconds * 1000;
	const end = measureFrom + o.seconds * 1000;
	const latencies: number[] = [];
	const r = { ok: 0, errors: 0, errorSamples: [] as string[] };
	async function worker(): Promise<void> {
		while (performance.now() < end) {
			const t0 = performance.now();
			let ok = false;
			let problem = '';
			try {
				const reply = await get(t, path, cookie, false);
				ok = reply.status === 200;
				if (!ok) problem = `${reply.status} ${reply.body.slice(0, 160)}`;
			} catch (e) {
				problem = (e as Error).message;
			}
			const t1 = performance.now();
			if (t0 < measureFrom) continue;
			latencies.push(t1 - t0);
			if (ok) r.ok++;
			else {
				r.errors++;
				if (r.errorSamples.length < 5) r.errorSamples.push(`GET ${path} → ${problem}`);
			}
		}
	}
	await Promise.all(Array.from({ length: o.concurrency }, worker));
	// Requests started before `end` may finish after it: the window is the measured span.
	const seconds = Math.max(0.001, (Math.max(end, performance.now()) - measureFrom) / 1000);
	return { ...r, seconds, latencies: Float64Array.from(latencies).sort() };
}
