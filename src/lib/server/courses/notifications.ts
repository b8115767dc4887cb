import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Queryable } from '../db';
import { prepared } from '../db/statements';
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

/** The count on the bell; every page's layout asks, hence the prepared statement. */
export function unreadCount(db: Queryable, userId: number): number {
	return (prepared(db, 'SELECT count(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL').get(userId) as { n: number }).n;
}

export function listNotifications(db: Queryable, userId: number, limit = 50) {
	return db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(desc(notifications.createdAt), desc(notifications.id)).limit(limit).all();
}

export function markAllRead(db: Queryable, userId: number, now = new Date()): void {
	db.update(notifications).set({ readAt: now }).where(and(eq(notifications.userId, userId), isNull(notifications.readAt))).run();
}
