import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { users } from '../db/schema';
import { clearAttempts, releaseAttempt, reserveAttempt, type Limit } from '../rate-limit';
import { hashPassword, verifyPassword } from './password';
import { createSession, type Session } from './session';

export const MAX_FAILURES = 5;
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** Password spraying: one address trying a common password on many usernames. */
export const MAX_FAILURES_PER_ADDRESS = 30;

export type LoginResult =
	| { ok: true; token: string; session: Session; mustChangePassword: boolean }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; retryAfterMs: number };

export function normaliseUsername(username: string): string {
	return username.trim().toLowerCase();
}

// Verified against when the username is unknown, so both paths cost one argon2 run
// and response time does not reveal whether an account exists.
let dummyHash: Promise<string> | undefined;

// Longer names exist in no account; the cap keeps a huge posted name out of the table.
const userKey = (username: string) => `login:user:${username.slice(0, 100)}`;
const addressKey = (address: string) => `login:address:${address}`;

/**
 * Password login with per-username and per-address throttling: after MAX_FAILURES
 * failures for a username (or MAX_FAILURES_PER_ADDRESS from one client address) within
 * the window, attempts are refused until the oldest of them is older than the window.
 * Each attempt is counted as a failure before its password is checked and forgiven if
 * it was right, so concurrent guesses cannot all start under the limit. Refused
 * attempts are not counted, so the lock lasts exactly one window. The outcome never
 * says whether the username exists.
 */
export async function login(
	db: Db,
	rawUsername: string,
	password: string,
	from: { address?: string; now?: Date } = {}
): Promise<LoginResult> {
	const now = from.now ?? new Date();
	const username = normaliseUsername(rawUsername);
	const limits: Limit[] = [{ key: userKey(username), max: MAX_FAILURES, windowMs: THROTTLE_WINDOW_MS }];
	if (from.address)
		limits.push({
			key: addressKey(from.address),
			max: MAX_FAILURES_PER_ADDRESS,
			windowMs: THROTTLE_WINDOW_MS
		});
	const reservation = reserveAttempt(db, limits, now);
	if (!reservation.ok) return { ok: false, reason: 'throttled', retryAfterMs: reservation.retryAfterMs };

	const user = db.select().from(users).where(eq(users.username, username)).get();
	const valid = user
		? await verifyPassword(user.passwordHash, password)
		: await verifyPassword(await (dummyHash ??= hashPassword('not-a-real-password-1')), password);
	// A failure stays recorded as reserved.
	if (!user || !valid || !user.active) return { ok: false, reason: 'invalid' };

	// The username's failures are forgiven; the address keeps its other failures (a sprayer
	// who knows one account must not reset the address's count with it).
	clearAttempts(db, userKey(username));
	releaseAttempt(db, reservation.ids);
	const { token, session } = createSession(db, user.id, now);
	return { ok: true, token, session, mustChangePassword: user.mustChangePassword };
}
