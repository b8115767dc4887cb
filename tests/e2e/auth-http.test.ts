import { describe, expect, it } from 'vitest';
import { baseURL, forgetAddressFailures, get, loginCookie, post, sessionCookie } from './http';

describe('login over HTTP (the contract other checks rely on)', () => {
	it('a successful POST answers 303 and sets an httpOnly SameSite=Lax session cookie', async () => {
		const res = await post('/login', { username: 'lishi.cadre', password: 'Demo#2026' });
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/');
		const cookie = res.headers.getSetCookie().find((c) => c.startsWith('session='))!;
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		expect(cookie).toMatch(/Path=\//);
		const home = await get('/', sessionCookie(res));
		expect(home.status).toBe(200);
		expect(await home.text()).toContain('李文博');
	});

	it('a wrong password gets the same Chinese message as an unknown user, and no cookie', async () => {
		const wrong = await post('/login', { username: 'lishi.cadre', password: 'nope' });
		const unknown = await post('/login', { username: 'no.such.user', password: 'nope' });
		for (const res of [wrong, unknown]) {
			expect(res.status).toBe(400);
			expect(
				res.headers.getSetCookie().some((c) => c.startsWith('session=') && !c.includes('Max-Age=0'))
			).toBe(false);
			expect(await res.text()).toContain('登录名或密码不正确');
		}
	});

	it('empty fields are refused beside each field', async () => {
		const html = await (await post('/login', { username: '', password: '' })).text();
		expect(html).toContain('请输入登录名');
		expect(html).toContain('请输入密码');
	});

	it('after 5 failures the username is locked with a clear message, even with the right password', async () => {
		// fenyang.001 is a seeded cadre; nobody else's tests use it.
		for (let i = 0; i < 5; i++) await post('/login', { username: 'fenyang.001', password: 'wrong-pass-1' });
		const locked = await post('/login', { username: 'fenyang.001', password: 'Demo#2026' });
		expect(locked.status).toBe(429);
		expect(await locked.text()).toContain('请 15 分钟后再试');
	});

	it('logout ends the session on the server: the old cookie no longer works', async () => {
		const cookie = await loginCookie('lishi.cadre');
		expect((await get('/me', cookie)).status).toBe(200);
		const out = await post('/logout', {}, cookie);
		expect(out.status).toBe(303);
		expect(out.headers.get('location')).toBe('/login');
		const after = await get('/me', cookie);
		expect(after.status).toBe(303);
		expect(after.headers.get('location')).toBe('/login?redirectTo=%2Fme');
	});

	it('sends anonymous visitors to login and back to where they were going', async () => {
		const res = await get('/office/members?page=2');
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/login?redirectTo=%2Foffice%2Fmembers%3Fpage%3D2');
		const back = await fetch(`${baseURL()}/login?redirectTo=%2Fme`, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseURL() },
			body: new URLSearchParams({ username: 'lishi.admin', password: 'Demo#2026' })
		});
		expect(back.headers.get('location')).toBe('/me');
	});

	it('a plain form post from a client that accepts anything, without a session, gets a 303 to the login page', async () => {
		const res = await fetch(`${baseURL()}/account/password`, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseURL(), accept: '*/*' },
			body: new URLSearchParams({ current: 'x' })
		});
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/login?redirectTo=%2Faccount%2Fpassword');
	});

	it('a cross-site form post is refused', async () => {
		const res = await fetch(`${baseURL()}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
			body: new URLSearchParams({ username: 'lishi.cadre', password: 'Demo#2026' })
		});
		expect(res.status).toBe(403);
	});

	it('healthz reports ok after checking the database', async () => {
		const res = await get('/healthz');
		expect(res.status).toBe(200);
		// `checks` adds the backup and replication for monitoring (tests/e2e/backups.test.ts).
		expect(await res.json()).toMatchObject({ status: 'ok', checks: { database: 'ok' } });
	});
});

describe('redirect after login stays on this site', () => {
	// Raw query strings as an attacker would write them in a link.
	const NASTY = [
		'/%09/127.0.0.1:9/phish',
		'%09//evil.example',
		'//evil.example',
		'/%5Cevil.example',
		'%5C%5Cevil.example',
		'https://evil.example',
		'/%2F%2Fevil.example',
		'/%252F%252Fevil.example',
		'/a/..//evil.example',
		'/%0A/evil.example',
		'/me%0D%0ASet-Cookie:%20x=1',
		'/me%00',
		'/me%E2%80%A8',
		'/%E2%80%A9/evil.example',
		'/me%C2%85'
	];

	function staysHere(res: Response): void {
		expect(res.status).toBe(303);
		const location = res.headers.get('location')!;
		expect(new URL(location, baseURL()).origin).toBe(new URL(baseURL()).origin);
		expect(res.headers.getSetCookie().some((c) => c.startsWith('x='))).toBe(false);
	}

	it.each(NASTY)('signing in with redirectTo=%s answers 303 to a page of this site', async (raw) => {
		const res = await fetch(`${baseURL()}/login?redirectTo=${raw}`, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseURL() },
			body: new URLSearchParams({ username: 'lishi.cadre', password: 'Demo#2026' })
		});
		staysHere(res);
		// Already signed in, the login page sends them on the same safe way.
		staysHere(await get(`/login?redirectTo=${raw}`, sessionCookie(res)));
	});
});

describe('login throttling per client address', () => {
	it('after 30 failures from one address, across many usernames, that address is refused for a while', async () => {
		forgetAddressFailures(); // what earlier tests failed from here
		try {
			for (let i = 0; i < 30; i++) {
				const res = await post('/login', { username: `spray.${i}`, password: 'Spring2026' });
				expect(res.status).toBe(400);
			}
			const refused = await post('/login', { username: 'lishi.cadre', password: 'Demo#2026' });
			expect(refused.status).toBe(429);
			expect(await refused.text()).toContain('尝试次数过多，请 15 分钟后再试');
		} finally {
			forgetAddressFailures();
		}
		expect((await post('/login', { username: 'lishi.cadre', password: 'Demo#2026' })).status).toBe(303);
	});
});
