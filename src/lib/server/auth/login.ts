import { and, count, eq, gt } from 'drizzle-orm';
import type { Db } from '../db';
import { loginFailures, users } from '../db/schema';
import { hashPassword, verifyPassword } from './password';
import { createSession, type Session } from './session';

export const MAX_FAILURES = 5;
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;

export type LoginResult =
	| { ok: true; token: string; session: Session; mustChangePassword: boolean }
	| { ok: false; reason: 'invalid' | 'throttled' };

export function normaliseUsername(username: string): string {
	return username.trim().toLowerCase();
}

// Verified against when the username is unknown, so both paths cost one argon2 run
// and response time does not reveal whether an account exists.
let dummyHash: Promise<string> | undefined;

/**
 * Password login with per-username throttling: after MAX_FAILURES failures within
 * the window, attempts are refused until the oldest of them is older than the
 * window. Refused attempts are not counted, so the lock lasts exactly one window.
 * The outcome never says whether the username exists.
 */
export async function login(db: Db, rawUsername: string, password: string, now = new Date()): Promise<LoginResult> {
	const username = normaliseUsername(rawUsername);
	const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
	const recent = db
		.select({ n: count() })
		.from(loginFailures)
		.where(and(eq(loginFailures.username, username), gt(loginFailures.at, since)))
		.get();
	if ((recent?.n ?? 0) >= MAX_FAILURES) return { ok: false, reason: 'throttled' };

	const user = db.select().from(users).where(eq(users.username, username)).get();
	const valid = user
		? await verifyPassword(user.passwordHash, password)
		: await verifyPassword(await (dummyHash ??= hashPassword('not-a-real-password-1')), password);

	if (!user || !valid || !user.active) {
		db.insert(loginFailures).values({ username, at: now }).run();
		return { ok: false, reason: 'invalid' };
	}
	db.delete(loginFailures).where(eq(loginFailures.username, username)).run();
	const { token, session } = createSession(db, user.id, now);
	return { ok: true, token, session, mustChangePassword: user.mustChangePassword };
}
