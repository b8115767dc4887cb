import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { courses, enrolments, offices, users } from '../db/schema';
import { shanghaiDay } from '../time';
import { notify, quoted } from '../notifications';
import { recordAudit, type AuditActor } from '../audit';
import { progressIn, taskStatus, type TaskStatus } from './progress';
import { dueOnOf } from './due';
import { PINYIN_ORDER } from '../users/name-key';

interface Member {
	userId: number;
	name: string;
	username: string;
	officeId: number;
	officeName: string;
	status: TaskStatus;
	percent: number;
	/** Their due day: the course's, or their own if they joined late (courses/due.ts). */
	dueOn: string;
}

/** Every active, enrolled, still-active member of a course, with status (optionally only some offices). */
export function courseMembers(
	db: Queryable,
	courseId: number,
	officeIds?: number[],
	now = new Date()
): Member[] {
	const course = db.select().from(courses).where(eq(courses.id, courseId)).get();
	if (!course) return [];
	const today = shanghaiDay(now);
	const rows = db
		.select({
			userId: users.id,
			name: users.name,
			username: users.username,
			officeId: offices.id,
			officeName: offices.name,
			completedAt: enrolments.completedAt,
			ownDueOn: enrolments.dueOn
		})
		.from(enrolments)
		.innerJoin(users, eq(users.id, enrolments.userId))
		.innerJoin(offices, eq(offices.id, users.officeId))
		.where(
			and(
				eq(enrolments.courseId, courseId),
				eq(enrolments.active, true),
				eq(users.active, true),
				officeIds ? inArray(offices.id, officeIds) : undefined
			)
		)
		.orderBy(asc(offices.sortOrder), ...PINYIN_ORDER)
		.all();
	return rows.map((member) => {
		const progress = progressIn(db, member.userId, courseId);
		const dueOn = dueOnOf(course.dueOn, member.ownDueOn);
		return {
			userId: member.userId,
			name: member.name,
			username: member.username,
			officeId: member.officeId,
			officeName: member.officeName,
			status: taskStatus(progress, member.completedAt, dueOn, today),
			percent: member.completedAt ? 100 : progress.percent,
			dueOn
		};
	});
}

/** Per office: enrolled, completed, overdue and the completion rate. */
export function officeFigures(members: Member[]) {
	const byOffice = new Map<
		number,
		{ officeId: number; officeName: string; enrolled: number; completed: number; overdue: number }
	>();
	for (const m of members) {
		const f = byOffice.get(m.officeId) ?? {
			officeId: m.officeId,
			officeName: m.officeName,
			enrolled: 0,
			completed: 0,
			overdue: 0
		};
		f.enrolled++;
		if (m.status === 'done') f.completed++;
		if (m.status === 'overdue') f.overdue++;
		byOffice.set(m.officeId, f);
	}
	return [...byOffice.values()].map((f) => ({
		...f,
		rate: f.enrolled ? Math.round((f.completed / f.enrolled) * 100) : 0
	}));
}

/**
 * 催学: one reminder to everyone behind on a course (not completed), within the
 * given offices; nobody is reminded twice about the same course on the same day.
 */
export function remindBehind(
	db: Db,
	actor: AuditActor,
	courseId: number,
	officeIds: number[] | undefined,
	now = new Date()
): { sent: number; skipped: number } {
	const course = db.select().from(courses).where(eq(courses.id, courseId)).get();
	if (!course) return { sent: 0, skipped: 0 };
	const behind = courseMembers(db, courseId, officeIds, now).filter((m) => m.status !== 'done');
	const day = shanghaiDay(now);
	let sent = 0;
	db.transaction((tx) => {
		// Per office: who was reminded, so each office's admins see the 催学 that reached their people.
		const byOffice = new Map<number | null, { name: string; sent: number; skipped: number }>();
		for (const m of behind) {
			const isNew = notify(
				tx,
				{
					userId: m.userId,
					kind: 'remind',
					title: `请抓紧学习${quoted(course.title)}`,
					body: `截止日期 ${m.dueOn}，当前进度 ${m.percent}%。`,
					href: '/tasks',
					dedupeKey: `remind:${courseId}:${m.userId}:${day}`
				},
				now
			);
			if (isNew) sent++;
			const o = byOffice.get(m.officeId) ?? { name: m.officeName, sent: 0, skipped: 0 };
			o[isNew ? 'sent' : 'skipped']++;
			byOffice.set(m.officeId, o);
		}
		if (byOffice.size === 0)
			byOffice.set(officeIds?.length === 1 ? officeIds[0]! : (actor.officeId ?? null), {
				name: '',
				sent: 0,
				skipped: 0
			});
		for (const [officeId, o] of byOffice) {
			const reach = o.name ? `${o.name} ` : '';
			recordAudit(tx, actor, {
				action: 'course.remind',
				officeId,
				schoolId: course.schoolId,
				target: { type: 'course', id: courseId },
				summary: `催学专题班《${course.title}》：向 ${reach}${o.sent} 人发送提醒${o.skipped ? `（${o.skipped} 人今天已提醒过）` : ''}`,
				at: now
			});
		}
	});
	return { sent, skipped: behind.length - sent };
}

/** Due-soon (3 days) and overdue notices for every unfinished active enrolment; each is sent once. */
export function sendDueNotices(db: Db, now = new Date()): number {
	const today = shanghaiDay(now);
	const soon = shanghaiDay(new Date(now.getTime() + 3 * 86_400_000));
	const open = db
		.select({
			userId: enrolments.userId,
			courseId: courses.id,
			title: courses.title,
			courseDueOn: courses.dueOn,
			ownDueOn: enrolments.dueOn
		})
		.from(enrolments)
		.innerJoin(courses, eq(courses.id, enrolments.courseId))
		.innerJoin(users, eq(users.id, enrolments.userId))
		.where(and(eq(enrolments.active, true), eq(users.active, true)))
		.all()
		// Each by its own due day: a late joiner is not reminded before theirs comes near.
		.map((e) => ({ ...e, dueOn: dueOnOf(e.courseDueOn, e.ownDueOn) }))
		.filter((e) => e.dueOn <= soon);
	let sent = 0;
	db.transaction((tx) => {
		for (const e of open) {
			const done = tx
				.select({ c: enrolments.completedAt })
				.from(enrolments)
				.where(and(eq(enrolments.userId, e.userId), eq(enrolments.courseId, e.courseId)))
				.get()?.c;
			if (done) continue;
			const overdue = today > e.dueOn;
			const isNew = notify(
				tx,
				overdue
					? {
							userId: e.userId,
							kind: 'overdue',
							title: `${quoted(e.title)}已逾期`,
							body: `截止日期是 ${e.dueOn}，请尽快完成。`,
							href: '/tasks',
							dedupeKey: `overdue:${e.courseId}:${e.userId}`
						}
					: {
							userId: e.userId,
							kind: 'due-soon',
							title: `${quoted(e.title)}将于 ${e.dueOn} 截止`,
							body: '还有 3 天以内，请抓紧完成。',
							href: '/tasks',
							dedupeKey: `due-soon:${e.courseId}:${e.userId}`
						},
				now
			);
			if (isNew) sent++;
		}
	});
	return sent;
}
