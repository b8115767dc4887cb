import { eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { users } from '../db/schema';
import { shanghaiDay } from '../time';
import { certificatesOf } from './certificates';
import { hoursInYear, shanghaiYear, yearlyRequirement } from './hours';
import { myTasks, TASK_STATUS_LABELS } from './progress';
import { studyRecord } from './record';

/** Read helpers that shape the course domain for pages (what the browser needs, nothing more). */

/** 我的任务 as the pages show them: status label, progress, next step and, once done, the certificate. */
export function taskCards(db: Queryable, userId: number, now = new Date()) {
	const serials = new Map(certificatesOf(db, userId).map((c) => [c.courseId, c.serial]));
	return myTasks(db, userId, now).map((t) => ({
		id: t.id,
		title: t.title,
		hours: t.hours,
		required: t.required,
		opensOn: t.opensOn,
		dueOn: t.dueOn,
		daysLeft: t.daysLeft,
		status: t.status,
		statusLabel: TASK_STATUS_LABELS[t.status],
		completedOn: t.completedAt ? shanghaiDay(t.completedAt) : null,
		stepsDone: t.status === 'done' ? t.progress.steps : t.progress.stepsDone,
		steps: t.progress.steps,
		percent: t.status === 'done' ? 100 : t.progress.percent,
		nextStep: t.status === 'done' ? null : t.progress.nextStep,
		certificate: serials.get(t.id) ?? null
	}));
}

export type TaskCard = ReturnType<typeof taskCards>[number];

/** This Shanghai year's credited 学时 against the yearly requirement. */
export function yearHours(db: Queryable, userId: number, now = new Date()) {
	const year = shanghaiYear(now);
	return { year, hours: hoursInYear(db, userId, year), required: yearlyRequirement(db) };
}

/** Where a user belongs now (for scope checks), without anything else of the account. */
export function userOffice(db: Queryable, userId: number): { id: number; officeId: number | null } | undefined {
	return db.select({ id: users.id, officeId: users.officeId }).from(users).where(eq(users.id, userId)).get();
}

/** 学习档案 for the page and its print: plain values, dates as Shanghai days. */
export function recordView(db: Queryable, userId: number, now = new Date()) {
	const r = studyRecord(db, userId);
	if (!r) return null;
	return {
		person: { name: r.person.name, title: r.person.title, officeName: r.person.officeName },
		printedOn: shanghaiDay(now),
		requirement: { year: shanghaiYear(now), hours: yearlyRequirement(db) },
		hoursByYear: r.hoursByYear.map((y) => ({ year: y.year, hours: y.hours })),
		completedCourses: r.completedCourses.map((c) => ({
			id: c.id,
			title: c.title,
			hours: c.hours,
			required: c.required,
			completedOn: c.completedAt ? shanghaiDay(c.completedAt) : ''
		})),
		sessions: r.credits
			.filter((c) => c.source === 'session')
			.map((c) => ({ id: c.sourceId, title: c.title.replace(/^集中学习：/, ''), hours: c.hours, day: shanghaiDay(c.creditedAt) })),
		studied: r.studied.map((m) => ({ title: m.title, done: m.done, total: m.total })),
		bestScores: r.bestScores.map((b) => ({ title: b.title, best: b.best, tries: b.tries })),
		certificates: r.certificates
			.map((c) => ({ serial: c.serial, courseTitle: c.courseTitle, hours: c.hours, completedOn: c.completedOn }))
			.sort((a, b) => a.completedOn.localeCompare(b.completedOn))
	};
}

export type RecordView = NonNullable<ReturnType<typeof recordView>>;
