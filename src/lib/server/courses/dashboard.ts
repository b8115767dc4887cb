import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { courses, enrolments, offices, users } from '../db/schema';
import { shanghaiDay } from '../time';
import { notify } from './notifications';
import { courseProgress, moduleStates, taskStatus, type TaskStatus } from './progress';

interface Member {
	userId: number;
	name: string;
	username: string;
	officeId: number;
	officeName: string;
	status: TaskStatus;
	percent: number;
}

/** Every active, enrolled, still-active member of a course, with status (optionally only some offices). */
export function courseMembers(db: Queryable, courseId: number, officeIds?: number[], now = new Date()): Member[] {
	const course = db.select().from(courses).where(eq(courses.id, courseId)).get();
	if (!course) return [];
	const today = shanghaiDay(now);
	const rows = db
		.select({ userId: users.id, name: users.name, username: users.username, officeId: offices.id, officeName: offices.name, completedAt: enrolments.completedAt })
		.from(enrolments)
		.innerJoin(users, eq(users.id, enrolments.userId))
		.innerJoin(offices, eq(offices.id, users.officeId))
		.where(and(eq(enrolments.courseId, courseId), eq(enrolments.active, true), eq(users.active, true), officeIds ? inArray(offices.id, officeIds) : undefined))
		.orderBy(asc(offices.sortOrder), asc(users.name))
		.all();
	return rows.map((r) => {
		const p = courseProgress(moduleStates(db, r.userId, courseId));
		return { userId: r.userId, name: r.name, username: r.username, officeId: r.officeId, officeName: r.officeName, status: taskStatus(p, r.completedAt, course.dueOn, today), percent: r.completedAt ? 100 : p.percent };
	});
}

/** Per office: enrolled, completed, overdue and the completion rate. */
export function officeFigures(members: Member[]) {
	const byOffice = new Map<number, { officeId: number; officeName: string; enrolled: number; completed: number; overdue: number }>();
	for (const m of members) {
		const f = byOffice.get(m.officeId) ?? { officeId: m.officeId, officeName: m.officeName, enrolled: 0, completed: 0, overdue: 0 };
		f.enrolled++;
		if (m.status === 'done') f.completed++;
		if (m.status === 'overdue') f.overdue++;
		byOffice.set(m.officeId, f);
	}
	return [...byOffice.values()].map((f) => ({ ...f, rate: f.enrolled ? Math.round((f.completed / f.enrolled) * 100) : 0 }));
}

/**
 * 催学: one reminder to everyone behind on a course (not completed), within the
 * given offices; nobody is reminded twice about the same course on the same day.
 */
export function remindBehind(db: Db, courseId: number, officeIds: number[] | undefined, now = new Date()): { sent: number; skipped: number } {
	const course = db.select().from(courses).where(eq(courses.id, courseId)).get();
	if (!course) return { sent: 0, skipped: 0 };
	const behind = courseMembers(db, courseId, officeIds, now).filter((m) => m.status !== 'done');
	const day = shanghaiDay(now);
	let sent = 0;
	db.transaction((tx) => {
		for (const m of behind) {
			const isNew = notify(
				tx,
				{ userId: m.userId, kind: 'remind', title: `请抓紧学习《${course.title}》`, body: `截止日期 ${course.dueOn}，当前进度 ${m.percent}%。`, href: '/tasks', dedupeKey: `remind:${courseId}:${m.userId}:${day}` },
				now
			);
			if (isNew) sent++;
		}
	});
	return { sent, skipped: behind.length - sent };
}

/** Due-soon (3 days) and overdue notices for every unfinished active enrolment; each is sent once. */
export function sendDueNotices(db: Db, now = new Date()): number {
	const today = shanghaiDay(now);
	const soon = shanghaiDay(new Date(now.getTime() + 3 * 86_400_000));
	const open = db
		.select({ userId: enrolments.userId, courseId: courses.id, title: courses.title, dueOn: courses.dueOn })
		.from(enrolments)
		.innerJoin(courses, eq(courses.id, enrolments.courseId))
		.innerJoin(users, eq(users.id, enrolments.userId))
		.where(and(eq(enrolments.active, true), eq(users.active, true)))
		.all()
		.filter((e) => e.dueOn <= soon);
	let sent = 0;
	db.transaction((tx) => {
		for (const e of open) {
			const done = tx.select({ c: enrolments.completedAt }).from(enrolments).where(and(eq(enrolments.userId, e.userId), eq(enrolments.courseId, e.courseId))).get()?.c;
			if (done) continue;
			const overdue = today > e.dueOn;
			const isNew = notify(
				tx,
				overdue
					? { userId: e.userId, kind: 'overdue', title: `《${e.title}》已逾期`, body: `截止日期是 ${e.dueOn}，请尽快完成。`, href: '/tasks', dedupeKey: `overdue:${e.courseId}:${e.userId}` }
					: { userId: e.userId, kind: 'due-soon', title: `《${e.title}》将于 ${e.dueOn} 截止`, body: '还有 3 天以内，请抓紧完成。', href: '/tasks', dedupeKey: `due-soon:${e.courseId}:${e.userId}` },
				now
			);
			if (isNew) sent++;
		}
	});
	return sent;
}
