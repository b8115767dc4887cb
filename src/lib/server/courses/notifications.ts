import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { Queryable } from '../db';
import { notifications } from '../db/schema';

export interface Notice {
	userId: number;
	kind: 'assigned' | 'due-soon' | 'overdue' | 'remind' | 'completed' | 'session';
	title: string;
	body?: string;
	href?: string;
	/** The same key never notifies twice (e.g. `remind:<course>:<user>:<day>`). */
	dedupeKey: string;
}

/** Returns true when the notice was new. */
export function notify(tx: Queryable, n: Notice, now = new Date()): boolean {
	const r = tx
		.insert(notifications)
		.values({ ...n, body: n.body ?? '', href: n.href ?? null, createdAt: now })
		.onConflictDoNothing({ target: notifications.dedupeKey })
		.run();
	return r.changes > 0;
}

export function unreadCount(db: Queryable, userId: number): number {
	return db.select({ n: count() }).from(notifications).where(and(eq(notifications.userId, userId), isNull(notifications.readAt))).get()?.n ?? 0;
}

export function listNotifications(db: Queryable, userId: number, limit = 50) {
	return db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(desc(notifications.createdAt), desc(notifications.id)).limit(limit).all();
}

export function markAllRead(db: Queryable, userId: number, now = new Date()): void {
	db.update(notifications).set({ readAt: now }).where(and(eq(notifications.userId, userId), isNull(notifications.readAt))).run();
}
