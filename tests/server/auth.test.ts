import { beforeEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { testDb, addUser, PASSWORD, seedTree } from '../helpers/db';
import {
	login,
	MAX_FAILURES,
	MAX_FAILURES_PER_ADDRESS,
	THROTTLE_WINDOW_MS
} from '../../src/lib/server/auth/login';
import {
	validateSessionToken,
	invalidateSession,
	SESSION_LIFETIME_MS,
	createSession
} from '../../src/lib/server/auth/session';
import { changePassword } from '../../src/lib/server/auth/account';
import {
	passwordProblem,
	generateTemporaryPassword,
	verifyPassword
} from '../../src/lib/server/auth/password';
import { sessions, users } from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';

// Counts the argon2 verifications (the real function still runs).
vi.mock('../../src/lib/server/auth/password', async (importOriginal) => {
	const real = await importOriginal<typeof import('../../src/lib/server/auth/password')>();
	return { ...real, verifyPassword: vi.fn(real.verifyPassword) };
});

let db: Db;
let officeId: number;

beforeEach(async () => {
	db = testDb();
	officeId = seedTree(db).lishi.id;
	await addUser(db, { username: 'wang.wu', officeId, name: '王五' });
});

describe('login', () => {
	it('signs in with the right password and creates a session whose secret is stored only as a hash', async () => {
		const result = await login(db, '  Wang.Wu ', PASSWORD);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const [id, secret] = result.token.split('.');
		const row = db.select().from(sessions).where(eq(sessions.id, id!)).get()!;
		expect(row).toBeDefined();
		expect(Buffer.from(row.secretHash).toString('utf8')).not.toContain(secret);
		expect(row.secretHash.length).toBe(32);
		const validated = validateSessionToken(db, result.token);
		expect(validated.user?.username).toBe('wang.wu');
		expect(validated.user).not.toHaveProperty('passwordHash');
	});

	it('refuses a wrong password and an unknown user with the same answer', async () => {
		const wrong = await login(db, 'wang.wu', 'nope12345');
		const unknown = await login(db, 'nobody', PASSWORD);
		expect(wrong).toEqual({ ok: false, reason: 'invalid' });
		expect(unknown).toEqual({ ok: false, reason: 'invalid' });
	});

	it('refuses a deactivated account', async () => {
		db.update(users).set({ active: false }).where(eq(users.username, 'wang.wu')).run();
		expect(await login(db, 'wang.wu', PASSWORD)).toEqual({ ok: false, reason: 'invalid' });
	});

	it('locks a username for 15 minutes after 5 failures, even for the right password, then lets it in', async () => {
		const t0 = new Date('2026-11-24T08:00:00Z');
		for (let i = 0; i < MAX_FAILURES; i++) {
			const r = await login(db, 'wang.wu', 'bad-pass-1', { now: new Date(t0.getTime() + i * 1000) });
			expect(r).toEqual({ ok: false, reason: 'invalid' });
		}
		const during = await login(db, 'wang.wu', PASSWORD, { now: new Date(t0.getTime() + 60_000) });
		expect(during).toEqual({ ok: false, reason: 'throttled', retryAfterMs: THROTTLE_WINDOW_MS - 60_000 });
		const stillLocked = await login(db, 'wang.wu', PASSWORD, {
			now: new Date(t0.getTime() + THROTTLE_WINDOW_MS - 1000)
		});
		expect(stillLocked).toMatchObject({ ok: false, reason: 'throttled' });
		const after = await login(db, 'wang.wu', PASSWORD, {
			now: new Date(t0.getTime() + THROTTLE_WINDOW_MS + 5000)
		});
		expect(after.ok).toBe(true);
	});

	it('throttles an unknown username exactly like a real one, so the lock reveals nothing', async () => {
		const t0 = new Date('2026-11-24T08:00:00Z');
		for (let i = 0; i < MAX_FAILURES; i++) await login(db, 'ghost', 'x1234567', { now: t0 });
		expect(await login(db, 'ghost', 'x1234567', { now: t0 })).toMatchObject({
			ok: false,
			reason: 'throttled'
		});
	});

	it('does not let failures for one username lock another', async () => {
		const t0 = new Date();
		for (let i = 0; i < MAX_FAILURES; i++) await login(db, 'someone.else', 'x1234567', { now: t0 });
		expect((await login(db, 'wang.wu', PASSWORD, { now: t0 })).ok).toBe(true);
	});

	it('counts only failures inside the window', async () => {
		const t0 = new Date('2026-11-24T08:00:00Z');
		for (let i = 0; i < MAX_FAILURES - 1; i++) await login(db, 'wang.wu', 'bad-pass-1', { now: t0 });
		const later = new Date(t0.getTime() + THROTTLE_WINDOW_MS + 1000);
		await login(db, 'wang.wu', 'bad-pass-1', { now: later });
		expect((await login(db, 'wang.wu', PASSWORD, { now: later })).ok).toBe(true);
	});
});

describe('login throttling under concurrency and password spraying', () => {
	const verifications = () => vi.mocked(verifyPassword).mock.calls.length;
	const throttled = (results: { ok: boolean; reason?: string }[]) =>
		results.filter((r) => r.reason === 'throttled').length;
	beforeEach(() => vi.mocked(verifyPassword).mockClear());

	it('nine wrong passwords and the right one sent at once: the right one is refused too', async () => {
		const passwords = [...Array<string>(9).fill('bad-pass-1'), PASSWORD];
		const results = await Promise.all(passwords.map((p) => login(db, 'wang.wu', p)));
		expect(results.at(-1)).toMatchObject({ ok: false, reason: 'throttled' });
		expect(results.filter((r) => r.ok)).toHaveLength(0);
		expect(verifications()).toBe(MAX_FAILURES);
		expect(db.select().from(sessions).all()).toHaveLength(0);
	});

	it('nineteen wrong passwords at once: only five are checked', async () => {
		const results = await Promise.all(Array.from({ length: 19 }, () => login(db, 'wang.wu', 'bad-pass-1')));
		expect(verifications()).toBe(MAX_FAILURES);
		expect(throttled(results)).toBe(19 - MAX_FAILURES);
	});

	it('one address trying a password on many usernames is stopped after 30 failures; other desks are not', async () => {
		const desk = { address: '10.1.2.3' };
		const sprayed = await Promise.all(
			Array.from({ length: 40 }, (_, i) => login(db, `cadre.${i}`, 'Spring2026', desk))
		);
		expect(verifications()).toBe(MAX_FAILURES_PER_ADDRESS);
		expect(throttled(sprayed)).toBe(40 - MAX_FAILURES_PER_ADDRESS);
		expect(await login(db, 'wang.wu', PASSWORD, desk)).toMatchObject({ ok: false, reason: 'throttled' });
		expect((await login(db, 'wang.wu', PASSWORD, { address: '10.1.2.4' })).ok).toBe(true);
	});

	it('signing in with a known account does not reset the address’s failures', async () => {
		const desk = { address: '10.1.2.3' };
		await Promise.all(
			Array.from({ length: MAX_FAILURES_PER_ADDRESS - 1 }, (_, i) =>
				login(db, `cadre.${i}`, 'Spring2026', desk)
			)
		);
		expect((await login(db, 'wang.wu', PASSWORD, desk)).ok).toBe(true);
		expect(await login(db, 'cadre.x', 'Spring2026', desk)).toEqual({ ok: false, reason: 'invalid' });
		expect(await login(db, 'cadre.y', 'Spring2026', desk)).toMatchObject({ ok: false, reason: 'throttled' });
	});
});

describe('sessions', () => {
	it('rejects a token whose secret is wrong even when the id is right', async () => {
		const r = await login(db, 'wang.wu', PASSWORD);
		if (!r.ok) throw new Error('login failed');
		const [id] = r.token.split('.');
		expect(validateSessionToken(db, `${id}.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`).session).toBeNull();
		expect(validateSessionToken(db, 'garbage').session).toBeNull();
	});

	it('expires after 30 days without use and slides forward while in use', () => {
		const user = db.select().from(users).get()!;
		const t0 = new Date('2026-01-01T00:00:00Z');
		const { token } = createSession(db, user.id, t0);
		const day20 = new Date(t0.getTime() + 20 * 86_400_000);
		const renewed = validateSessionToken(db, token, day20);
		expect(renewed.session?.expiresAt.getTime()).toBe(day20.getTime() + SESSION_LIFETIME_MS);
		// 45 days after creation but only 25 after last use: still valid.
		expect(validateSessionToken(db, token, new Date(t0.getTime() + 45 * 86_400_000)).user).not.toBeNull();
		// More than 30 days after the last use: gone, and the row is deleted.
		expect(validateSessionToken(db, token, new Date(t0.getTime() + 120 * 86_400_000)).user).toBeNull();
		expect(db.select().from(sessions).all()).toHaveLength(0);
	});

	it('logout invalidates the session', async () => {
		const r = await login(db, 'wang.wu', PASSWORD);
		if (!r.ok) throw new Error('login failed');
		invalidateSession(db, r.session.id);
		expect(validateSessionToken(db, r.token).user).toBeNull();
	});

	it('a deactivated account loses its sessions', async () => {
		const r = await login(db, 'wang.wu', PASSWORD);
		if (!r.ok) throw new Error('login failed');
		db.update(users).set({ active: false }).where(eq(users.username, 'wang.wu')).run();
		expect(validateSessionToken(db, r.token).user).toBeNull();
	});
});

describe('change password', () => {
	it('keeps the current session, ends the others, and clears the forced-change flag', async () => {
		db.update(users).set({ mustChangePassword: true }).where(eq(users.username, 'wang.wu')).run();
		const here = await login(db, 'wang.wu', PASSWORD);
		const phone = await login(db, 'wang.wu', PASSWORD);
		if (!here.ok || !phone.ok) throw new Error('login failed');
		expect(here.mustChangePassword).toBe(true);
		const user = validateSessionToken(db, here.token).user!;
		const result = await changePassword(db, user.id, here.session.id, {
			current: PASSWORD,
			next: 'NewPass2026',
			confirm: 'NewPass2026'
		});
		expect(result).toEqual({ ok: true });
		expect(validateSessionToken(db, here.token).user?.mustChangePassword).toBe(false);
		expect(validateSessionToken(db, phone.token).user).toBeNull();
		expect((await login(db, 'wang.wu', 'NewPass2026')).ok).toBe(true);
		expect((await login(db, 'wang.wu', PASSWORD)).ok).toBe(false);
	});

	it('refuses a wrong current password, a weak or unchanged password and a mismatch, changing nothing', async () => {
		const r = await login(db, 'wang.wu', PASSWORD);
		if (!r.ok) throw new Error('login failed');
		const user = validateSessionToken(db, r.token).user!;
		const before = db.select().from(users).where(eq(users.id, user.id)).get()!.passwordHash;
		const cases = [
			[{ current: 'wrong-1234', next: 'NewPass2026', confirm: 'NewPass2026' }, 'current', '当前密码不正确'],
			[{ current: PASSWORD, next: 'short1', confirm: 'short1' }, 'next', '密码至少 8 位'],
			[
				{ current: PASSWORD, next: 'onlyletters', confirm: 'onlyletters' },
				'next',
				'密码须同时包含字母和数字'
			],
			[{ current: PASSWORD, next: PASSWORD, confirm: PASSWORD }, 'next', '新密码不能与当前密码相同'],
			[
				{ current: PASSWORD, next: 'NewPass2026', confirm: 'NewPass2027' },
				'confirm',
				'两次输入的新密码不一致'
			]
		] as const;
		for (const [input, fieldName, message] of cases) {
			const result = await changePassword(db, user.id, r.session.id, input);
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.errors[fieldName]).toBe(message);
		}
		expect(db.select().from(users).where(eq(users.id, user.id)).get()!.passwordHash).toBe(before);
	});
});

describe('change password: wrong current passwords', () => {
	it('allows five wrong ones per 15 minutes, counted before checking, then refuses even the right one', async () => {
		const r = await login(db, 'wang.wu', PASSWORD);
		if (!r.ok) throw new Error('login failed');
		const user = validateSessionToken(db, r.token).user!;
		const before = db.select().from(users).where(eq(users.id, user.id)).get()!.passwordHash;
		const t0 = new Date('2026-11-24T08:00:00Z');
		const guess = { current: 'guess-1234', next: 'NewPass2026', confirm: 'NewPass2026' };
		const results = await Promise.all(
			Array.from({ length: 8 }, () => changePassword(db, user.id, r.session.id, guess, t0))
		);
		expect(results.map((x) => (x.ok ? 'changed' : x.errors.current))).toEqual([
			...Array<string>(5).fill('当前密码不正确'),
			...Array<string>(3).fill('尝试次数过多，请 15 分钟后再试')
		]);
		const right = { current: PASSWORD, next: 'NewPass2026', confirm: 'NewPass2026' };
		const during = await changePassword(db, user.id, r.session.id, right, new Date(t0.getTime() + 60_000));
		expect(during).toEqual({ ok: false, errors: { current: '尝试次数过多，请 14 分钟后再试' } });
		expect(db.select().from(users).where(eq(users.id, user.id)).get()!.passwordHash).toBe(before);
		const after = await changePassword(
			db,
			user.id,
			r.session.id,
			right,
			new Date(t0.getTime() + 15 * 60_000 + 1000)
		);
		expect(after).toEqual({ ok: true });
	});
});

describe('passwords', () => {
	it('stores argon2id hashes with the prescribed cost', async () => {
		const row = db.select().from(users).get()!;
		expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
	});

	it('temporary passwords always satisfy the password rule and differ each time', () => {
		const many = Array.from({ length: 200 }, generateTemporaryPassword);
		expect(many.every((p) => passwordProblem(p) === null)).toBe(true);
		expect(new Set(many).size).toBe(200);
	});
});
