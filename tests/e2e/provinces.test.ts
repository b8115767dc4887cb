import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './ports';

// The multi-province layout as `npm run provinces` starts it: the script itself, the shipped
// deploy/haproxy.cfg (its addresses given by the environment variables it reads), a database per
// province seeded by the script. Everything is reached through haproxy, as a browser would.

const PASSWORD = 'Demo#2026';
const SX = 'sx.xuexi.test';
const HA = 'ha.xuexi.test';

function findHaproxy(): string | undefined {
	const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
	return dirs
		.filter((dir) => dir !== '')
		.map((dir) => join(dir, 'haproxy'))
		.find((path) => existsSync(path));
}

/** Whether anything accepts connections on the port. */
function listening(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

interface Reply {
	status: number;
	headers: IncomingHttpHeaders;
	body: string;
}

interface Ask {
	method?: 'GET' | 'POST';
	path: string;
	/** The host name the browser used (the Host header carries it with the proxy's port). */
	host: string;
	tls?: boolean;
	headers?: Record<string, string>;
	form?: Record<string, string>;
	/** The client's own address: a loopback other than haproxy's 127.0.0.1. */
	from?: string;
}

let dir: string;
let cert: string;
let httpPort: number;
let tlsPort: number;
let sxPort: number;
let haPort: number;
let script: ChildProcess;
let output = '';

/** One request to haproxy as a browser without JavaScript would send it. */
function ask({
	method = 'GET',
	path,
	host,
	tls = false,
	headers = {},
	form,
	from = '127.0.0.1'
}: Ask): Promise<Reply> {
	const port = tls ? tlsPort : httpPort;
	const body = form ? new URLSearchParams(form).toString() : undefined;
	const options = {
		host: '127.0.0.1',
		port,
		method,
		path,
		localAddress: from,
		headers: {
			host: `${host}:${port}`,
			accept: 'text/html',
			...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
			...headers
		}
	};
	return new Promise((resolve, reject) => {
		const done = (res: import('node:http').IncomingMessage) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (chunk) => (text += chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
		};
		const req = tls
			? httpsRequest({ ...options, servername: host, ca: cert }, done)
			: httpRequest(options, done);
		req.on('error', reject);
		req.end(body);
	});
}

const origin = (host: string, tls = false) =>
	`${tls ? 'https' : 'http'}://${host}:${tls ? tlsPort : httpPort}`;

function login(host: string, username: string, extra: Partial<Ask> = {}): Promise<Reply> {
	return ask({
		method: 'POST',
		path: '/login',
		host,
		form: { username, password: PASSWORD },
		...extra,
		headers: { origin: origin(host, extra.tls), ...extra.headers }
	});
}

const sessionSetCookie = (r: Reply) => (r.headers['set-cookie'] ?? []).find((c) => c.startsWith('session='));

async function sessionOf(host: string, username: string, extra: Partial<Ask> = {}): Promise<string> {
	const res = await login(host, username, extra);
	const cookie = sessionSetCookie(res);
	if (res.status !== 303 || !cookie)
		throw new Error(`${username} could not log in at ${host} (${res.status})`);
	return cookie.split(';')[0]!;
}

/** A province's database, read while its instance runs. */
function provinceDb(code: 'sx' | 'ha'): Database.Database {
	const db = new Database(join(dir, 'data', code, 'app.db'), { readonly: true });
	db.pragma('busy_timeout = 5000');
	return db;
}

function query<T>(code: 'sx' | 'ha', sql: string, ...params: unknown[]): T[] {
	const db = provinceDb(code);
	try {
		return db.prepare(sql).all(...params) as T[];
	} finally {
		db.close();
	}
}

beforeAll(async () => {
	const haproxy = findHaproxy();
	if (!haproxy)
		throw new Error(
			'haproxy is not installed: the multi-province test runs the real proxy. Install it with `apt-get install haproxy` (Debian/Ubuntu) and run the tests again'
		);
	if (spawnSync('openssl', ['version']).status !== 0)
		throw new Error(
			'openssl is not installed: the test makes a certificate for the HTTPS listener. Install it with `apt-get install openssl`'
		);
	dir = mkdtempSync(join(tmpdir(), 'xuexi-provinces-'));
	// A self-signed certificate for both host names; the client trusts exactly it.
	const made = spawnSync('openssl', [
		'req',
		'-x509',
		'-newkey',
		'ec',
		'-pkeyopt',
		'ec_paramgen_curve:prime256v1',
		'-nodes',
		'-days',
		'2',
		'-subj',
		`/CN=${SX}`,
		'-addext',
		`subjectAltName=DNS:${SX},DNS:${HA}`,
		'-keyout',
		join(dir, 'key.pem'),
		'-out',
		join(dir, 'cert.pem')
	]);
	if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
	cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
	writeFileSync(join(dir, 'xuexi.pem'), cert + readFileSync(join(dir, 'key.pem'), 'utf8'));

	[httpPort, tlsPort, sxPort, haPort] = [
		await freePort(),
		await freePort(),
		await freePort(),
		await freePort()
	];
	script = spawn(process.execPath, ['--import', 'tsx', 'scripts/provinces.ts'], {
		env: {
			...process.env,
			HAPROXY: haproxy,
			PROVINCES_DIR: join(dir, 'data'),
			XUEXI_BIND: `127.0.0.1:${httpPort}`,
			XUEXI_TLS_BIND: `127.0.0.1:${tlsPort}`,
			XUEXI_TLS_CERT: join(dir, 'xuexi.pem'),
			XUEXI_SX: `127.0.0.1:${sxPort}`,
			XUEXI_HA: `127.0.0.1:${haPort}`,
			LOG_LEVEL: 'warn'
		},
		// Its own process group: whatever happens to the test, afterAll can stop all it started.
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	script.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	script.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`provinces did not start within 60 s:\n${output}`)),
			60_000
		);
		const check = () => {
			if (output.includes('多省部署已启动')) {
				clearTimeout(timer);
				resolve();
			}
		};
		script.stdout!.on('data', check);
		script.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`scripts/provinces.ts exited with ${code}:\n${output}`));
		});
	});
}, 90_000);

afterAll(async () => {
	if (script?.pid && script.exitCode === null && script.signalCode === null) {
		try {
			process.kill(-script.pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
	if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('one deployment per province behind haproxy', () => {
	it("lets each province's admins log in at its own host and nowhere else", async () => {
		for (const [home, away, username] of [
			[SX, HA, 'sx.admin'],
			[HA, SX, 'ha.admin'],
			[SX, HA, 'sx.sysadmin'],
			[HA, SX, 'ha.sysadmin']
		] as const) {
			const there = await login(home, username);
			expect(there.status, `${username} at ${home}`).toBe(303);
			expect(sessionSetCookie(there)).toBeDefined();
			const elsewhere = await login(away, username);
			expect(elsewhere.status, `${username} at ${away}`).toBe(400);
			expect(elsewhere.body).toContain('登录名或密码不正确');
			expect(sessionSetCookie(elsewhere)).toBeUndefined();
		}
	});

	it('shows each province only its own office tree and members, and the built-in content at both', async () => {
		const trees = {
			[SX]: {
				own: ['山西省人大常委会', '太原市人大常委会', '吕梁市人大常委会'],
				other: ['河南省', '郑州市', '洛阳市']
			},
			[HA]: {
				own: ['河南省人大常委会', '郑州市人大常委会', '洛阳市人大常委会'],
				other: ['山西省', '太原市', '吕梁市']
			}
		};
		for (const [host, code] of [
			[SX, 'sx'],
			[HA, 'ha']
		] as const) {
			const offices = await ask({
				path: '/admin/offices',
				host,
				headers: { cookie: await sessionOf(host, `${code}.sysadmin`) }
			});
			expect(offices.status).toBe(200);
			for (const name of trees[host].own) expect(offices.body).toContain(name);
			for (const name of trees[host].other) expect(offices.body).not.toContain(name);

			// The office admin of the province's root manages the members of its whole tree.
			const members = await ask({
				path: '/office/members',
				host,
				headers: { cookie: await sessionOf(host, `${code}.admin`) }
			});
			expect(members.status).toBe(200);
			const own = code === 'sx' ? ['taiyuan.001', 'lvliang.001'] : ['zhengzhou.001', 'luoyang.001'];
			const other = code === 'sx' ? ['zhengzhou.', 'luoyang.'] : ['taiyuan.', 'lvliang.'];
			for (const username of own) expect(members.body).toContain(username);
			for (const username of other) expect(members.body).not.toContain(username);
		}
		// The same built-in study content was synced into both databases.
		const [module] = query<{ title: string }>(
			'sx',
			'SELECT title FROM modules WHERE archived_at IS NULL AND in_catalog = 1 ORDER BY sort_order, id LIMIT 1'
		);
		expect(module).toBeDefined();
		for (const [host, cadre] of [
			[SX, 'taiyuan.001'],
			[HA, 'zhengzhou.001']
		] as const) {
			const learn = await ask({ path: '/learn', host, headers: { cookie: await sessionOf(host, cadre) } });
			expect(learn.status).toBe(200);
			expect(learn.body).toContain(module!.title);
		}
	});

	it('makes a session of one province worthless at the other', async () => {
		const cookie = await sessionOf(SX, 'sx.sysadmin');
		const home = await ask({ path: '/admin/offices', host: SX, headers: { cookie } });
		expect(home.status).toBe(200);

		const away = await ask({ path: '/admin/offices', host: HA, headers: { cookie } });
		expect(away.status).toBe(303);
		expect(away.headers.location).toBe('/login?redirectTo=%2Fadmin%2Foffices');

		const post = await ask({
			method: 'POST',
			path: '/admin/offices',
			host: HA,
			headers: { cookie, origin: origin(HA) },
			form: { name: '开封市人大常委会', code: 'kaifeng', parentId: '1', sortOrder: '9' }
		});
		expect(post.status).toBe(303);
		expect(post.headers.location).toMatch(/^\/login/);
		expect(query('ha', "SELECT id FROM offices WHERE code = 'kaifeng'")).toEqual([]);
	});

	it("records the client's own address, not the proxy's nor one the client claims", async () => {
		const spoofed = { 'x-forwarded-for': '203.0.113.9' };
		const counted = (address: string) =>
			query<{ n: number }>(
				'sx',
				'SELECT count(*) AS n FROM rate_limits WHERE key = ?',
				`login:address:${address}`
			)[0]!.n;
		const before = { client: counted('127.0.0.2'), proxy: counted('127.0.0.1') };
		// A wrong password from 127.0.0.2 counts against that address (the login limit of password spraying).
		const wrong = await ask({
			method: 'POST',
			path: '/login',
			host: SX,
			from: '127.0.0.2',
			headers: { origin: origin(SX), ...spoofed },
			form: { username: 'sx.nobody', password: 'not-the-password' }
		});
		expect(wrong.status).toBe(400);
		expect(counted('127.0.0.2')).toBe(before.client + 1);
		// Not against haproxy's own address (127.0.0.1, where the earlier tests' clients were), nor the claimed one.
		expect(counted('127.0.0.1')).toBe(before.proxy);
		expect(counted('203.0.113.9')).toBe(0);
		expect(query('ha', "SELECT id FROM rate_limits WHERE key = 'login:address:127.0.0.2'")).toEqual([]);

		// An admin action from 127.0.0.2 is audited with that address, in that province only.
		const cookie = await sessionOf(SX, 'sx.sysadmin', { from: '127.0.0.2' });
		const [root] = query<{ id: number }>('sx', "SELECT id FROM offices WHERE code = 'sx'");
		const created = await ask({
			method: 'POST',
			path: '/admin/offices',
			host: SX,
			from: '127.0.0.2',
			headers: { cookie, origin: origin(SX), ...spoofed },
			form: { name: '晋中市人大常委会', code: 'jinzhong', parentId: String(root!.id), sortOrder: '3' }
		});
		expect(created.status).toBe(200);
		expect(created.body).toContain('已创建单位“晋中市人大常委会”');
		const audit = query<{ ip: string | null }>(
			'sx',
			"SELECT ip FROM audit_log WHERE action = 'office.create' AND summary LIKE '%晋中市人大常委会%'"
		);
		expect(audit).toEqual([{ ip: '127.0.0.2' }]);
		expect(query('ha', "SELECT id FROM offices WHERE code = 'jinzhong'")).toEqual([]);
	});

	it('passes the scheme and host the browser used, so the same-origin rule holds behind the proxy', async () => {
		// Plain HTTP: only a form from http://sx.xuexi.test:<port> itself is taken, and the cookie is not Secure.
		const own = await login(SX, 'taiyuan.002');
		expect(own.status).toBe(303);
		expect(sessionSetCookie(own)).not.toMatch(/;\s*Secure/i);
		const foreign: Record<string, string>[] = [
			{ origin: origin(SX, true) },
			// The client cannot claim HTTPS or another host: haproxy replaces those headers.
			{ origin: origin(SX, true), 'x-forwarded-proto': 'https' },
			{ origin: origin(HA) },
			{ origin: origin(HA), 'x-forwarded-host': `${HA}:${httpPort}` },
			{ origin: 'http://evil.example' }
		];
		for (const headers of foreign) {
			const refused = await login(SX, 'taiyuan.002', { headers });
			expect(refused.status, JSON.stringify(headers)).toBe(403);
			expect(sessionSetCookie(refused)).toBeUndefined();
		}

		// HTTPS at haproxy: the app is told https, so the browser's https origin is its own and the cookie is Secure.
		const secure = await login(SX, 'taiyuan.002', { tls: true });
		expect(secure.status).toBe(303);
		expect(sessionSetCookie(secure)).toMatch(/;\s*Secure/i);
		const plainOrigin = await login(SX, 'taiyuan.002', { tls: true, headers: { origin: origin(SX) } });
		expect(plainOrigin.status).toBe(403);
		expect(sessionSetCookie(plainOrigin)).toBeUndefined();
	});

	it('answers a host name that is no province itself', async () => {
		for (const host of ['xuexi.test', '127.0.0.1', 'sx.xuexi.test.evil.example']) {
			const res = await ask({ path: '/login', host });
			expect(res.status, host).toBe(404);
			expect(res.body).toContain('没有这个站点');
		}
	});

	it('stops haproxy and both instances on Ctrl-C', async () => {
		for (const port of [httpPort, tlsPort, sxPort, haPort]) expect(await listening(port)).toBe(true);
		const exited = new Promise<number | null>((resolve) => script.once('exit', (code) => resolve(code)));
		script.kill('SIGINT');
		expect(await exited).toBe(0);
		expect(output).toContain('多省部署已停止');
		for (const port of [httpPort, tlsPort, sxPort, haPort])
			expect(await listening(port), String(port)).toBe(false);
	});
});
