// npm run provinces — the multi-province layout on this machine's loopback (README: 多省部署): one
// instance per province, each with its own database under data/provinces/<code>/ (seeded when empty),
// and haproxy in front with deploy/haproxy.cfg routing sx.xuexi.test and ha.xuexi.test to them.
// Ctrl-C (SIGINT) or SIGTERM stops haproxy and both instances; if one of them dies, the rest stop too.
//
// Env: PROVINCES_DIR (data/provinces), WORKERS (1 process per instance here), HAPROXY (the binary;
// else haproxy on PATH, /usr/sbin or /usr/local/sbin), and deploy/haproxy.cfg's own XUEXI_BIND
// (127.0.0.1:8080), XUEXI_TLS_CERT / XUEXI_TLS_BIND, XUEXI_SX (127.0.0.1:3101), XUEXI_HA (127.0.0.1:3102):
// the instances listen where haproxy is told to find them.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { delimiter, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createDb, migrateDb } from '../src/lib/server/db';
import { isEmpty } from '../src/lib/server/seed';
import { PROVINCES, provinceAccounts, seedProvince, type Province } from '../src/lib/server/seed/province';

const CONFIG = resolve('deploy/haproxy.cfg');
const dataDir = process.env.PROVINCES_DIR || join('data', 'provinces');

function findHaproxy(): string | undefined {
	if (process.env.HAPROXY) return process.env.HAPROXY;
	const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
	return dirs
		.filter((dir) => dir !== '')
		.map((dir) => join(dir, 'haproxy'))
		.find((path) => existsSync(path));
}

/** host:port from an environment variable of deploy/haproxy.cfg, with the file's default. */
function address(name: string, fallback: string): { host: string; port: number; text: string } {
	const text = process.env[name] || fallback;
	const at = text.lastIndexOf(':');
	const host = text.slice(0, at) || '0.0.0.0';
	const port = Number(text.slice(at + 1));
	if (at < 0 || !Number.isInteger(port) || port <= 0)
		throw new Error(`${name} 应为“地址:端口”，现在是 ${text}`);
	return { host, port, text };
}

/** The instance address haproxy's backend for this province points at (XUEXI_SX → 127.0.0.1:3101 …). */
const instanceAddress = (province: Province, index: number) =>
	address(`XUEXI_${province.code.toUpperCase()}`, `127.0.0.1:${3101 + index}`);

/** GET /healthz with a Host header of our choosing; resolves to the status, or 0 if nobody answers. */
function health(host: string, port: number, hostHeader: string): Promise<number> {
	return new Promise((done) => {
		const req = request({ host, port, path: '/healthz', headers: { host: hostHeader } }, (res) => {
			res.resume();
			done(res.statusCode ?? 0);
		});
		req.on('error', () => done(0));
		req.setTimeout(2_000, () => req.destroy());
		req.end();
	});
}

const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;

/** Starts a process whose output lines are shown with its name in front. */
function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
	const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
	for (const [stream, out] of [
		[child.stdout!, process.stdout],
		[child.stderr!, process.stderr]
	] as const)
		createInterface({ input: stream }).on('line', (line) => out.write(`[${name}] ${line}\n`));
	child.on('exit', (code, signal) => {
		// Ctrl-C in a terminal reaches every process of the group at once: a child may exit before
		// this process has handled its own SIGINT.
		setTimeout(() => {
			if (stopping) return;
			console.error(`${name} 意外退出（${signal ?? code}），正在停止其余进程`);
			void stop(1);
		}, 500);
	});
	children.push({ name, child });
	return child;
}

async function waitFor(what: string, check: () => Promise<boolean>, child: ChildProcess): Promise<void> {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what}没有启动起来`);
		if (await check()) return;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`${what}在 60 秒内没有就绪`);
}

/** Stops haproxy first (no new requests), then the instances, which finish the requests under way. */
async function stop(exitCode: number): Promise<never> {
	stopping = true;
	for (const { child } of [...children].reverse())
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
	const exited = children.map(
		({ child }) =>
			new Promise<void>((done) => {
				if (child.exitCode !== null || child.signalCode !== null) return done();
				child.once('exit', () => done());
			})
	);
	// serve.js gives requests under way SHUTDOWN_TIMEOUT (30 s) to finish; after that nothing is waited for.
	const timer = setTimeout(() => {
		for (const { child } of children) child.kill('SIGKILL');
	}, 40_000);
	await Promise.all(exited);
	clearTimeout(timer);
	console.log('多省部署已停止');
	process.exit(exitCode);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void (stopping || stop(0)));

async function main(): Promise<void> {
	const haproxy = findHaproxy();
	if (!haproxy || !existsSync(haproxy)) {
		throw new Error(
			'没有找到 haproxy：请先安装（Debian/Ubuntu：apt-get install haproxy），或用 HAPROXY 指定它的路径'
		);
	}
	if (!existsSync('build/handler.js')) {
		console.log('正在构建……');
		const build = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
		if (build.status !== 0) throw new Error('构建失败');
	}

	const instances = PROVINCES.map((province, i) => ({ province, at: instanceAddress(province, i) }));
	for (const { province } of instances) {
		const path = join(dataDir, province.code, 'app.db');
		const db = createDb(path);
		try {
			migrateDb(db);
			if (isEmpty(db)) {
				const s = await seedProvince(db, province);
				console.log(
					`${province.name}：新数据库 ${path}，已载入 ${s.offices} 个单位、${s.users} 个账号、内容 ${s.modules} 项`
				);
			}
		} finally {
			db.$client.close();
		}
	}

	for (const { province, at } of instances) {
		const child = start(province.code, process.execPath, ['scripts/serve.js'], {
			...process.env,
			HOST: at.host,
			PORT: String(at.port),
			DATABASE_URL: join(dataDir, province.code, 'app.db'),
			WORKERS: process.env.WORKERS || '1',
			// What haproxy passes (deploy/haproxy.cfg): the scheme, the host and the client's address.
			PROTOCOL_HEADER: 'x-forwarded-proto',
			HOST_HEADER: 'x-forwarded-host',
			ADDRESS_HEADER: 'x-forwarded-for',
			XFF_DEPTH: '1',
			// Longer than haproxy keeps an idle connection to the instance, so the instance never closes
			// one just as haproxy sends the next request on it.
			KEEP_ALIVE_TIMEOUT: process.env.KEEP_ALIVE_TIMEOUT || '65',
			HEADERS_TIMEOUT: process.env.HEADERS_TIMEOUT || '66'
		});
		await waitFor(
			`${province.name}的实例`,
			async () => (await health(at.host, at.port, province.host)) === 200,
			child
		);
	}

	const proxy = start('haproxy', haproxy, ['-db', '-f', CONFIG], process.env);
	const front = address('XUEXI_BIND', '127.0.0.1:8080');
	const frontHost = front.host === '0.0.0.0' || front.host === '' ? '127.0.0.1' : front.host;
	for (const { province } of instances)
		await waitFor(
			`haproxy 到${province.name}的转发`,
			async () => (await health(frontHost, front.port, `${province.host}:${front.port}`)) === 200,
			proxy
		);

	const port = front.port === 80 ? '' : `:${front.port}`;
	console.log('多省部署已启动（Ctrl-C 停止）：');
	for (const { province, at } of instances) {
		const a = provinceAccounts(province);
		console.log(
			`  ${province.name}  http://${province.host}${port}  （实例 ${at.text}，系统管理员 ${a.sysadmin}，单位管理员 ${a.officeAdmin}，密码 Demo#2026）`
		);
	}
	console.log(
		`  浏览器需要能解析这些主机名：在 /etc/hosts 加一行“${frontHost} ${instances.map((i) => i.province.host).join(' ')}”，` +
			`或用 curl --resolve ${instances[0]!.province.host}:${front.port}:${frontHost} 访问`
	);
}

main().catch((e: Error) => {
	console.error(e.message);
	void stop(1);
});
