import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join, relative, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { inject } from 'vitest';

/**
 * The site as it is on disk, for tests that must cover every page and form action the day it
 * is added (the fuzz and access-matrix tests): routes, their params, actions and form fields,
 * a plain HTTP client that can send any body, and a watch on the database's tables.
 */

const ROUTES_DIR = 'src/routes';

export interface ActionInfo {
	/** `default` or the named action's key. */
	name: string;
	/** The query that selects it: '' for default, `?/name` otherwise. */
	query: string;
	/** Whether its code reads the posted form at all (a form-less action takes no values). */
	readsForm: boolean;
}

export interface RouteInfo {
	/** The route as SvelteKit names it without groups and matchers, e.g. `/office/study-sessions/[id]`. */
	id: string;
	kind: 'page' | 'endpoint';
	params: string[];
	actions: ActionInfo[];
	/** Names of the form fields its pages and actions read (page, its components, its modules). */
	fields: string[];
}

/**
 * The route of a directory, groups left out and param matchers too (`[id=id]` is `[id]`): the
 * tests name a route by its params, and a matcher only narrows which values reach it.
 */
function routeId(dir: string): string {
	const segments = relative(ROUTES_DIR, dir)
		.split('/')
		.filter((s) => s && !/^\(.*\)$/.test(s))
		.map((s) => s.replace(/\[([^\]=]+)=[^\]]+\]/g, '[$1]'));
	return '/' + segments.join('/');
}

function walk(dir: string, visit: (dir: string, files: string[]) => void): void {
	const names = readdirSync(dir);
	visit(dir, names);
	for (const name of names) if (statSync(join(dir, name)).isDirectory()) walk(join(dir, name), visit);
}

/** The top-level keys of the object literal after `export const actions`, with each key's code. */
export function parseActions(file: string): { name: string; code: string }[] {
	// Comments could hold anything; strings at the top level are only values, never keys.
	const source = file.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
	const start = source.indexOf('export const actions');
	if (start < 0) return [];
	const open = source.indexOf('{', source.indexOf('=', start));
	const keys: { name: string; at: number }[] = [];
	let depth = 0;
	let end = source.length;
	for (let i = open; i < source.length; i++) {
		const c = source[i]!;
		if ('{(['.includes(c)) depth++;
		else if ('})]'.includes(c) && --depth === 0) {
			end = i;
			break;
		}
		if (depth !== 1 || !/[A-Za-z_$]/.test(c) || /[\w$]/.test(source[i - 1]!)) continue;
		const name = /^[A-Za-z_$][\w$]*/.exec(source.slice(i))![0];
		const before = source.slice(open, i).replace(/\s+$/, '');
		const after = source.slice(i + name.length).trimStart()[0];
		const keyed = /[{,]$/.test(before) || /[{,]\s*async$/.test(before);
		if (name !== 'async' && keyed && after !== undefined && ':(,}'.includes(after))
			keys.push({ name, at: i });
	}
	return keys.map((k, n) => ({ name: k.name, code: source.slice(k.at, keys[n + 1]?.at ?? end) }));
}

/**
 * Whether an action's code (or a function of the same file that it calls) reads the form:
 * `request.formData()`, or readTalkForm (the 宣讲 form with photos, streamed from the body).
 */
const READS_FORM = /formData\(|readTalkForm\(/;
function readsForm(source: string, code: string): boolean {
	if (READS_FORM.test(code)) return true;
	for (const [, called] of code.matchAll(/([A-Za-z_$][\w$]*)\(/g)) {
		const def = new RegExp(`(?:function\\s+${called}\\b|const\\s+${called}\\s*=)[\\s\\S]*?\\n\\}`).exec(
			source
		);
		if (def && READS_FORM.test(def[0])) return true;
	}
	return false;
}

/** Local imports of a Svelte or TS file: its components and server modules, resolved to files. */
function localImports(file: string): string[] {
	const source = readFileSync(file, 'utf8');
	const out: string[] = [];
	for (const m of source.matchAll(/from '(\$lib\/[^']+|\.{1,2}\/[^']+)'/g)) {
		const spec = m[1]!;
		const base = spec.startsWith('$lib/') ? join('src/lib', spec.slice(5)) : resolve(dirname(file), spec);
		for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
			if (existsSync(candidate) && statSync(candidate).isFile()) {
				out.push(candidate);
				break;
			}
		}
	}
	return out;
}

/** Field names read by `form.get('x')`/`getAll('x')` or rendered as `name="x"`, one import deep. */
function fieldNames(files: string[]): string[] {
	const seen = new Set<string>();
	const names = new Set<string>();
	const scan = (file: string, depth: number) => {
		if (seen.has(file)) return;
		seen.add(file);
		const source = readFileSync(file, 'utf8');
		for (const m of source.matchAll(/\.get(?:All)?\('([^']+)'\)|\bname="([^"{}]+)"/g))
			names.add((m[1] ?? m[2])!);
		if (depth > 0) for (const next of localImports(file)) scan(next, depth - 1);
	};
	for (const f of files) scan(f, 2);
	// Fields of query strings and GET forms (search boxes, filters) are no form action's.
	for (const n of ['q', 'page', 'status', 'sort', 'dir', 'period', 'redirectTo', 'who', 'show'])
		names.delete(n);
	// Header names and zip paths read with .get() are no fields.
	return [...names].filter((n) => /^[A-Za-z_]\w*$/.test(n)).sort();
}

export function discoverRoutes(): RouteInfo[] {
	const routes: RouteInfo[] = [];
	walk(ROUTES_DIR, (dir, files) => {
		const id = routeId(dir);
		const params = [...id.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
		const server = join(dir, '+page.server.ts');
		if (files.includes('+page.svelte') || files.includes('+page.server.ts')) {
			const source = existsSync(server) ? readFileSync(server, 'utf8') : '';
			const actions = parseActions(source).map(({ name, code }) => ({
				name,
				query: name === 'default' ? '' : `?/${name}`,
				readsForm: readsForm(source, code)
			}));
			const own = ['+page.server.ts', '+page.svelte'].map((f) => join(dir, f)).filter(existsSync);
			routes.push({ id, kind: 'page', params, actions, fields: fieldNames(own) });
		}
		const endpoint = join(dir, '+server.ts');
		if (
			files.includes('+server.ts') &&
			/export (const|async function|function) GET\b/.test(readFileSync(endpoint, 'utf8'))
		) {
			routes.push({ id, kind: 'endpoint', params, actions: [], fields: [] });
		}
	});
	return routes.sort((a, b) => a.id.localeCompare(b.id));
}

/** Fills a route's params, e.g. `/office/study-sessions/[id]` with { id: '3' }. */
export function fill(route: string, values: Record<string, string>): string {
	return route.replace(/\[([^\]]+)\]/g, (_, p: string) => {
		const v = values[p];
		if (v === undefined) throw new Error(`no value for [${p}] of ${route}`);
		return encodeURIComponent(v);
	});
}

// ---------------------------------------------------------------------------------------------
// HTTP

export interface Reply {
	status: number;
	location: string | null;
	contentType: string;
	setCookies: string[];
	text: string;
}

export interface SendOptions {
	method?: string;
	cookie?: string;
	headers?: Record<string, string>;
	body?: string | Buffer;
}

/**
 * The tests' own client address (any 127.x address reaches the server on Linux): the app limits
 * failed attempts per address, and these tests' refused logins and guesses must not count against
 * the address every other test file posts from.
 */
const CLIENT_ADDRESS = '127.0.0.2';

/**
 * Sends exactly what it is given (fetch would fix up bodies); follows no redirects. One
 * connection per request: a refusal sent before a large body was read ends its connection.
 */
export function send(path: string, options: SendOptions = {}): Promise<Reply> {
	const base = new URL(inject('baseURL'));
	const method = options.method ?? 'GET';
	const headers: Record<string, string> = { host: base.host, ...(options.headers ?? {}) };
	if (method === 'POST') headers.origin ??= base.origin;
	if (options.cookie) headers.cookie = options.cookie;
	if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
	return new Promise((done, fail) => {
		const req = request(
			{
				host: '127.0.0.1',
				port: base.port,
				localAddress: CLIENT_ADDRESS,
				agent: false,
				method,
				path,
				headers
			},
			(res) => {
				const contentType = String(res.headers['content-type'] ?? '');
				const reply = (text: string) =>
					done({
						status: res.statusCode!,
						location: res.headers.location ?? null,
						contentType,
						setCookies: res.headers['set-cookie'] ?? [],
						text
					});
				// An event stream never ends: its status and type are the answer.
				if (contentType.startsWith('text/event-stream')) {
					res.destroy();
					reply('');
					return;
				}
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => reply(Buffer.concat(chunks).toString('utf8')));
				res.on('error', fail);
			}
		);
		req.setTimeout(30_000, () => req.destroy(new Error(`timeout: ${method} ${path}`)));
		req.on('error', fail);
		req.end(options.body);
	});
}

/** A session cookie for a demo account, signed in from the tests' own address. */
export async function signIn(username: string, password = 'Demo#2026'): Promise<string> {
	const res = await send('/login', {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ username, password }).toString()
	});
	const cookie = res.setCookies.map((c) => /^session=[^;]+/.exec(c)?.[0]).find(Boolean);
	if (res.status !== 303 || !cookie)
		throw new Error(`login of ${username} answered ${res.status} without a session`);
	return cookie;
}

/** Any CJK character: the app's messages are Chinese. */
export const CHINESE = /[\u4e00-\u9fff]/;

// ---------------------------------------------------------------------------------------------
// The database, read-only

export function readDb(): Database.Database {
	const db = new Database(inject('databasePath'), { readonly: true });
	db.pragma('busy_timeout = 5000');
	return db;
}

/** The first column of the first row of `sql`, as text; throws when there is none. */
export function pick(db: Database.Database, sql: string, what: string): string {
	const row = db.prepare(sql).raw().get() as unknown[] | undefined;
	if (!row || row[0] === null || row[0] === undefined) throw new Error(`no row for ${what}: ${sql}`);
	return String(row[0]);
}

/**
 * Notices any change to the app's tables. `PRAGMA data_version` moves when another connection
 * (the server) commits, so the tables are hashed only after a commit; then each table's content
 * hash is compared with the last one. `exclude` names tables that change without any action.
 */
export class TableWatch {
	private version: number;
	private hashes: Map<string, { hash: string; rows: number }>;

	constructor(
		private db: Database.Database,
		private exclude: ReadonlySet<string>
	) {
		this.version = this.dataVersion();
		this.hashes = this.snapshot();
	}

	private dataVersion(): number {
		return this.db.pragma('data_version', { simple: true }) as number;
	}

	private snapshot(): Map<string, { hash: string; rows: number }> {
		const tables = this.db
			.prepare(
				"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
			)
			.pluck()
			.all() as string[];
		const out = new Map<string, { hash: string; rows: number }>();
		this.db.transaction(() => {
			for (const table of tables) {
				if (this.exclude.has(table)) continue;
				const hash = createHash('sha1');
				let rows = 0;
				for (const row of this.db.prepare(`SELECT * FROM "${table}"`).raw().iterate()) {
					hash.update(JSON.stringify(row, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
					rows++;
				}
				out.set(table, { hash: hash.digest('hex'), rows });
			}
		})();
		return out;
	}

	/** Tables changed since the last call (as `name (rows before → after)`), excluded ones aside. */
	changes(): string[] {
		const version = this.dataVersion();
		if (version === this.version) return [];
		this.version = version;
		const now = this.snapshot();
		const changed: string[] = [];
		for (const [table, after] of now) {
			const before = this.hashes.get(table);
			if (before?.hash !== after.hash) changed.push(`${table} (${before?.rows ?? 0} → ${after.rows} rows)`);
		}
		this.hashes = now;
		return changed;
	}
}
