import Database from 'better-sqlite3';
import { inject } from 'vitest';

export const baseURL = () => inject('baseURL');

/** Plain HTTP as a browser without JavaScript would send it (no use:enhance header). */
export async function post(path: string, fields: Record<string, string>, cookie?: string): Promise<Response> {
	return fetch(baseURL() + path, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: baseURL(),
			...(cookie ? { cookie } : {})
		},
		body: new URLSearchParams(fields)
	});
}

export async function get(path: string, cookie?: string): Promise<Response> {
	return fetch(baseURL() + path, { redirect: 'manual', headers: cookie ? { cookie } : {} });
}

export function sessionCookie(response: Response): string {
	const header = response.headers.getSetCookie().find((c) => c.startsWith('session='));
	if (!header) throw new Error(`no session cookie (status ${response.status})`);
	return header.split(';')[0]!;
}

export async function loginCookie(username: string, password = 'Demo#2026'): Promise<string> {
	return sessionCookie(await post('/login', { username, password }));
}

/** The running app's database file, to read what the server wrote or to let time pass (backdating). */
export function appDatabase(): Database.Database {
	const db = new Database(inject('databasePath'));
	db.pragma('busy_timeout = 5000');
	return db;
}

/**
 * Forgets the failed logins counted against the test client's address: every test posts from
 * the same address, and 30 failures there would lock all later logins of the run.
 */
export function forgetAddressFailures(): void {
	const db = appDatabase();
	try {
		db.prepare("DELETE FROM rate_limits WHERE key LIKE 'login:address:%'").run();
	} finally {
		db.close();
	}
}
