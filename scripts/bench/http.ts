// A minimal keep-alive HTTP client on node:http: cheaper per request than fetch, so the
// load generator (sharing the machine with the server) steals as little CPU as possible.
import { Agent, request } from 'node:http';

export interface Target {
	/** Where to connect (127.0.0.1 avoids localhost resolving to ::1 first). */
	port: number;
	/** What the server believes it is (its ORIGIN): sent as the Origin header for CSRF checks. */
	origin: string;
	agent: Agent;
}

export interface Reply {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

export function target(port: number, maxSockets: number): Target {
	return { port, origin: `http://localhost:${port}`, agent: new Agent({ keepAlive: true, maxSockets }) };
}

export function post(
	t: Target,
	path: string,
	body: string,
	headers: Record<string, string> = {}
): Promise<Reply> {
	return new Promise((resolve, reject) => {
		const req = request(
			{
				host: '127.0.0.1',
				port: t.port,
				path,
				method: 'POST',
				agent: t.agent,
				headers: {
					origin: t.origin,
					'content-type': 'application/x-www-form-urlencoded',
					'content-length': Buffer.byteLength(body),
					...headers
				}
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body: Buffer.concat(chunks).toString('utf8')
					})
				);
				res.on('error', reject);
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}

/** The value of one cookie from a response's Set-Cookie headers. */
export function cookieFrom(reply: Reply, name: string): string | undefined {
	const raw = reply.headers['set-cookie'];
	for (const line of Array.isArray(raw) ? raw : raw ? [raw] : []) {
		const [pair] = line.split(';');
		const eq = pair!.indexOf('=');
		if (pair!.slice(0, eq).trim() === name) return pair!.slice(eq + 1).trim();
	}
	return undefined;
}
