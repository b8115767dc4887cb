import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, eq, lt, ne } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { sessions } from '../db/schema';
import type { Role } from '../access';
import { authStatements } from './statements';

export const SESSION_COOKIE = 'session';
const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY_MS;
// Renew the sliding expiry at most once a day per session, not on every request.
const RENEW_WHEN_LEFT_MS = SESSION_LIFETIME_MS - DAY_MS;

export interface Session {
	id: string;
	userId: number;
	createdAt: Date;
	expiresAt: Date;
}

/** What `locals.user` carries: never the password hash. */
export interface SessionUser {
	id: number;
	username: string;
	name: string;
	role: Role;
	officeId: number | null;
	schoolId: number | null;
	mustChangePassword: boolean;
}

function randomString(): string {
	const bytes = new Uint8Array(24); // 192 bits, above the guide's 120-bit floor
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

/** A session and its user, as one lookup reads them. */
type SessionRow = SessionUser & { secretHash: Buffer; createdAt: Date; expiresAt: Date; active: boolean };

// Every request looks a session up: a statement prepared once per connection (auth/statements.ts).
function lookup(db: Db, id: string): SessionRow | undefined {
	return authStatements(db).session.get({ id });
}

function hashSecret(secret: string): Uint8Array {
	return sha256(new TextEncoder().encode(secret));
}

export function createSession(db: Db, userId: number, now = new Date()): { token: string; session: Session } {
	const id = randomString();
	const secret = randomString();
	const session: Session = {
		id,
		userId,
		createdAt: now,
		expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS)
	};
	db.insert(sessions)
		.values({ ...session, secretHash: Buffer.from(hashSecret(secret)) })
		.run();
	return { token: `${id}.${secret}`, session };
}

export type SessionValidation =
	{ session: Session; user: SessionUser; renewed: boolean } | { session: null; user: null; renewed: false };

/**
 * Checks a cookie token. The id finds the row; the secret is compared by hash in
 * constant time. Expired sessions and deactivated users are rejected (and the
 * session row removed). The expiry slides forward while the session is in use.
 */
export function validateSessionToken(db: Db, token: string, now = new Date()): SessionValidation {
	const none = { session: null, user: null, renewed: false } as const;
	const parts = token.split('.');
	if (parts.length !== 2 || !parts[0] || !parts[1]) return none;
	const [id, secret] = parts as [string, string];
	const row = lookup(db, id);
	if (!row) return none;
	const { secretHash, createdAt, expiresAt: storedExpiry, active, ...user } = row;
	if (!constantTimeEqual(hashSecret(secret), new Uint8Array(secretHash))) return none;
	if (storedExpiry.getTime() <= now.getTime() || !active) {
		invalidateSession(db, id);
		return none;
	}
	let expiresAt = storedExpiry;
	const renewed = expiresAt.getTime() - now.getTime() < RENEW_WHEN_LEFT_MS;
	if (renewed) {
		expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
		db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id)).run();
	}
	return { renewed, session: { id, userId: user.id, createdAt, expiresAt }, user };
}

export function invalidateSession(db: Db, sessionId: string): void {
	db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

export function invalidateUserSessions(db: Queryable, userId: number, exceptSessionId?: string): void {
	db.delete(sessions)
		.where(
			exceptSessionId
				? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId))
				: eq(sessions.userId, userId)
		)
		.run();
}

export function deleteExpiredSessions(db: Db, now = new Date()): void {
	db.delete(sessions).where(lt(sessions.expiresAt, now)).run();
}
