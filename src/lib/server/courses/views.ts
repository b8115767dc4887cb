import type { Queryable } from '../db';
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

/** 学习档案 for the page and its print: plain values, dates as Shanghai days. */
export function recordView(db: Queryable, userId: number, now = new Date()) {
	const record = studyRecord(db, userId);
	if (!record) return null;
	return {
		person: { name: record.person.name, title: record.person.title, officeName: record.person.officeName },
		printedOn: shanghaiDay(now),
		requirement: { year: shanghaiYear(now), hours: yearlyRequirement(db) },
		hoursByYear: record.hoursByYear.map((y) => ({ year: y.year, hours: y.hours })),
		completedCourses: record.completedCourses.map((c) => ({
			id: c.id,
			title: c.title,
			hours: c.hours,
			required: c.required,
			completedOn: c.completedAt ? shanghaiDay(c.completedAt) : ''
		})),
		sessions: record.credits
			.filter((c) => c.source === 'session')
			.map((c) => ({
				id: c.sourceId,
				title: c.title.replace(/^集中学习：/, ''),
				hours: c.hours,
				day: shanghaiDay(c.creditedAt)
			})),
		// 模块学时: modules whose 学时 were credited on completing them.
		moduleHours: record.credits
			.filter((c) => c.source === 'module')
			.map((c) => ({ id: c.sourceId, title: c.title, hours: c.hours, day: shanghaiDay(c.creditedAt) })),
		studied: record.studied.map((m) => ({ title: m.title, done: m.done, total: m.total })),
		bestScores: record.bestScores.map((b) => ({ title: b.title, best: b.best, tries: b.tries })),
		certificates: record.certificates
			.map((c) => ({
				serial: c.serial,
				courseTitle: c.courseTitle,
				hours: c.hours,
				completedOn: c.completedOn
			}))
			.sort((a, b) => a.completedOn.localeCompare(b.completedOn))
	};
}

export type RecordView = NonNullable<ReturnType<typeof recordView>>;
