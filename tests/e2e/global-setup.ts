import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDb, migrateDb } from '../../src/lib/server/db';
import { seedDemo } from '../../src/lib/server/seed/demo';
import { CHROMIUM_PATH } from './browser';
import { freePort } from './ports';

declare module 'vitest' {
	export interface ProvidedContext {
		baseURL: string;
		databasePath: string;
	}
}

async function waitForHealth(url: string, server: ChildProcess): Promise<void> {
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
		try {
			if ((await fetch(`${url}/healthz`)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error('server did not become healthy within 30 s');
}

const WORKERS = 2;

/** Starts the built app on a fresh, seeded database for the end-to-end tests. */
export default async function setup(project: TestProject) {
	if (!existsSync(CHROMIUM_PATH)) {
		throw new Error(
			`Chromium not found at ${CHROMIUM_PATH}: run \`apt-get install chromium\` (Debian) and try again`
		);
	}
	if (!existsSync('build/index.js'))
		throw new Error('build/ is missing: run `npm run build` first (npm test does)');
	const dir = mkdtempSync(join(tmpdir(), 'xuexi-e2e-'));
	const databasePath = join(dir, 'app.db');
	const db = createDb(databasePath);
	migrateDb(db);
	await seedDemo(db);
	db.$client.close();

	const port = await freePort();
	const baseURL = `http://localhost:${port}`;
	// Two processes whatever the machine, as in production on our 2-core servers (scripts/serve.js).
	const server = spawn(process.execPath, ['scripts/serve.js'], {
		env: {
			...process.env,
			PORT: String(port),
			DATABASE_URL: databasePath,
			LOG_LEVEL: 'warn',
			WORKERS: String(WORKERS)
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	// The primary opens the port (and says so) once every worker is ready.
	const allListening = new Promise<void>((resolve) => {
		server.stdout!.on('data', (chunk: Buffer) => {
			process.stdout.write(chunk);
			if (chunk.toString().includes('Listening on')) resolve();
		});
	});
	await waitForHealth(baseURL, server);
	await allListening;
	project.provide('baseURL', baseURL);
	project.provide('databasePath', databasePath);

	return async () => {
		server.kill('SIGTERM');
		await new Promise((r) => server.once('exit', r));
		rmSync(dir, { recursive: true, force: true });
	};
}
