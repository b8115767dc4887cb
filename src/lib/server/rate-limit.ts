import { and, asc, eq, gt, inArray, lt } from 'drizzle-orm';
import type { Db, Queryable } from './db';
import { rateLimits } from './db/schema';

/** At most `max` attempts recorded under `key` within `windowMs`. */
export interface Limit {
	key: string;
	max: number;
	windowMs: number;
}

export type Reservation = { ok: true; ids: number[] } | { ok: false; retryAfterMs: number };

/** Rows older than this are of no limit any more (no window is longer). */
const KEEP_MS = 24 * 3_600_000;

/**
 * Records one attempt under every limit BEFORE the secret is checked, in one write
 * transaction (IMMEDIATE, so other app processes wait for it). However many guesses
 * arrive at once, at most `max` of them per window get as far as checking the secret.
 * If any limit is full, nothing is recorded (a refused attempt does not prolong the
 * lock) and the answer says when the oldest counted attempt leaves its window.
 * The caller removes the rows again (`releaseAttempt`) when the guess was right.
 */
export function reserveAttempt(db: Db, limits: readonly Limit[], now = new Date()): Reservation {
	return db.transaction((tx) => {
		tx.delete(rateLimits)
			.where(lt(rateLimits.at, new Date(now.getTime() - KEEP_MS)))
			.run();
		let retryAfterMs = 0;
		for (const limit of limits) {
			const since = new Date(now.getTime() - limit.windowMs);
			const times = tx
				.select({ at: rateLimits.at })
				.from(rateLimits)
				.where(and(eq(rateLimits.key, limit.key), gt(rateLimits.at, since)))
				.orderBy(asc(rateLimits.at))
				.all();
			if (times.length < limit.max) continue;
			// A place frees up when enough of the counted attempts have left the window.
			const freeing = times[times.length - limit.max]!.at.getTime() + limit.windowMs - now.getTime();
			retryAfterMs = Math.max(retryAfterMs, freeing);
		}
		if (retryAfterMs > 0) return { ok: false, retryAfterMs };
		const ids = limits.map(
			(limit) =>
				tx.insert(rateLimits).values({ key: limit.key, at: now }).returning({ id: rateLimits.id }).get().id
		);
		return { ok: true, ids };
	});
}

/** The guess was right: the reserved attempt was no failure. */
export function releaseAttempt(db: Queryable, ids: readonly number[]): void {
	if (ids.length)
		db.delete(rateLimits)
			.where(inArray(rateLimits.id, [...ids]))
			.run();
}

/** Forgets every attempt under `key` (e.g. a username's failures once its owner signed in). */
export function clearAttempts(db: Queryable, key: string): void {
	db.delete(rateLimits).where(eq(rateLimits.key, key)).run();
}

/** The Chinese message for a refused attempt. */
export function tooManyAttempts(retryAfterMs: number): string {
	return `尝试次数过多，请 ${Math.max(1, Math.ceil(retryAfterMs / 60_000))} 分钟后再试`;
}
