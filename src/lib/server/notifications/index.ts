import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Queryable } from '../db';
import { notifications } from '../db/schema';
import { notificationStatements } from './statements';

/** In-app notices (the bell): written by courses, study sessions and reminders, read by every page's layout. */

export interface Notice {
	userId: number;
	kind: 'assigned' | 'due-soon' | 'overdue' | 'remind' | 'completed' | 'session' | 'result';
	title: string;
	body?: string;
	href?: string;
	/** The same key never notifies twice (e.g. `remind:<course>:<user>:<day>`). */
	dedupeKey: string;
}

/**
 * `label：subject`, with the label once: people often start a title with its kind already
 * (a session called "集中学习：乡村振兴" must not be announced as "集中学习：集中学习：乡村振兴").
 */
export function labelled(label: string, subject: string): string {
	const s = subject.trim();
	return s.includes(label) ? s : `${label}：${s}`;
}

/** A title in 《》, once, even when it was typed with them. */
export function quoted(title: string): string {
	const t = title.trim();
	return /^《[^《》]*》$/.test(t) ? t : `《${t}》`;
}

// The same label twice at the start ("集中学习：集中学习：…"), whichever producer built it.
const DOUBLED_LABEL = /^([^：]{1,12}：)\1+/;

/** Returns true when the notice was new. */
export function notify(tx: Queryable, n: Notice, now = new Date()): boolean {
	const inserted = tx
		.insert(notifications)
		.values({
			...n,
			title: n.title.replace(DOUBLED_LABEL, '$1'),
			body: n.body ?? '',
			href: n.href ?? null,
			createdAt: now
		})
		.onConflictDoNothing({ target: notifications.dedupeKey })
		.run();
	return inserted.changes > 0;
}

/** The count on the bell; every page's layout asks, hence the prepared statement. */
export function unreadCount(db: Queryable, userId: number): number {
	return notificationStatements(db).unreadCount.get({ userId }) ?? 0;
}

export function listNotifications(db: Queryable, userId: number, limit = 50) {
	return db
		.select()
		.from(notifications)
		.where(eq(notifications.userId, userId))
		.orderBy(desc(notifications.createdAt), desc(notifications.id))
		.limit(limit)
		.all();
}

export function markAllRead(db: Queryable, userId: number, now = new Date()): void {
	db.update(notifications)
		.set({ readAt: now })
		.where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
		.run();
}

/**
 * Opening one notice marks it read; returns where it points (null when it is not this user's).
 * Only the owner's own notice: another id looks exactly like one that does not exist.
 */
export function openNotification(
	db: Queryable,
	userId: number,
	id: number,
	now = new Date()
): { href: string | null } | null {
	const n = db
		.select({ href: notifications.href, readAt: notifications.readAt })
		.from(notifications)
		.where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
		.get();
	if (!n) return null;
	if (!n.readAt)
		db.update(notifications)
			.set({ readAt: now })
			.where(and(eq(notifications.id, id), isNull(notifications.readAt)))
			.run();
	return { href: n.href };
}
