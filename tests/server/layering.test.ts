import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Routes never query the database: they call the domain modules in src/lib/server/<domain>/,
 * which own every query. Only the health check talks to the connection itself.
 */
const EXCEPTIONS = ['src/routes/healthz'];

/** Imports a route must not have: the ORM, the driver, the schema files, prepared statements. */
function forbiddenImport(specifier: string, file: string): boolean {
	if (/^drizzle-orm(\/|$)/.test(specifier) || /^better-sqlite3(\/|$)/.test(specifier)) return true;
	// $lib/server/db itself (getDb) is fine; anything inside it is the schema or the statements.
	if (/^\$lib\/server\/db\/(?!index(\.ts)?$)/.test(specifier)) return true;
	// A domain's prepared statements (src/lib/server/<domain>/statements.ts) are its own.
	if (/^\$lib\/server\/.*\bstatements(\.ts)?$/.test(specifier)) return true;
	if (specifier.startsWith('.')) {
		const target = relative('src/lib/server/db', resolve(dirname(file), specifier));
		return !target.startsWith('..') && target !== '' && !/^index(\.ts)?$/.test(target);
	}
	return false;
}

/** What is wrong with one route file, as short reasons (empty when nothing is). */
function offences(file: string, source: string): string[] {
	const found: string[] = [];
	const specifiers = source.matchAll(/\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g);
	for (const [, specifier] of specifiers)
		if (forbiddenImport(specifier!, file)) found.push(`imports ${specifier}`);
	for (const name of ['$client', 'connectionOf', 'session.client'])
		if (source.includes(name)) found.push(`uses ${name}`);
	if (/\bprepared\s*\(/.test(source)) found.push('uses prepared(');
	return found;
}

function files(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? files(path) : /\.(ts|js|svelte)$/.test(name) ? [path] : [];
	});
}

/** Every offending file under a routes directory, as `file: reason, reason`. */
function layeringViolations(routesDir: string): string[] {
	return files(routesDir)
		.filter((file) => !EXCEPTIONS.some((e) => file === e || file.startsWith(e + '/')))
		.map((file) => ({ file, found: offences(file, readFileSync(file, 'utf8')) }))
		.filter((f) => f.found.length > 0)
		.map((f) => `${f.file}: ${f.found.join(', ')}`);
}

describe('routes call domain modules and never query the database', () => {
	it('no file in src/routes (but the health check) imports drizzle-orm, a schema file or the raw client', () => {
		const violations = layeringViolations('src/routes');
		expect(violations, `Move these queries into src/lib/server/<domain>/:\n${violations.join('\n')}`).toEqual(
			[]
		);
	});

	const scratch = mkdtempSync(join(tmpdir(), 'layering-'));
	afterAll(() => rmSync(scratch, { recursive: true, force: true }));

	it('names each offending file and what it does wrong', () => {
		const write = (path: string, text: string) => {
			mkdirSync(dirname(join(scratch, path)), { recursive: true });
			writeFileSync(join(scratch, path), text);
		};
		write(
			'ok/+page.server.ts',
			"import { getDb } from '$lib/server/db';\nimport { x } from '$lib/server/quiz/overview';\n"
		);
		write('orm/+page.server.ts', "import { eq } from 'drizzle-orm';\n");
		write('schema/+page.server.ts', "import { modules } from '$lib/server/db/schema';\n");
		write('domain-schema/+server.ts', "import { studySessions } from '$lib/server/db/study-sessions';\n");
		write('raw/+page.server.ts', "const n = getDb().$client.prepare('SELECT 1').get();\n");
		write('driver/+server.ts', "import Database from 'better-sqlite3';\n");
		write(
			'cache/+server.ts',
			"import { prepared } from '$lib/server/db/statements';\nprepared(db, 'SELECT 1');\n"
		);
		write(
			'domain-statements/+page.server.ts',
			"import { quizStatements } from '$lib/server/quiz/statements';\n"
		);
		const violations = layeringViolations(scratch).map((v) => relative(scratch, v.split(':')[0]!));
		expect(violations.sort()).toEqual(
			[
				'cache/+server.ts',
				'domain-schema/+server.ts',
				'domain-statements/+page.server.ts',
				'driver/+server.ts',
				'orm/+page.server.ts',
				'raw/+page.server.ts',
				'schema/+page.server.ts'
			].sort()
		);
	});
});
