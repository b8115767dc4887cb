import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Queryable } from '../db';
import {
	attempts,
	courseModules,
	courses,
	enrolments,
	lessonProgress,
	lessons,
	modules,
	examAttempts,
	exams
} from '../db/schema';
import { countedAttempt } from '../exams/counted';
import { shanghaiDay } from '../time';
import { issueCertificate } from './certificates';
import { daysBetween, dueOnOf } from './due';
import { credit } from './hours';
import { notify, quoted } from '../notifications';

export type TaskStatus = 'not-started' | 'in-progress' | 'done' | 'overdue';
export const TASK_STATUS_LABELS: Record<TaskStatus, string> = {
	'not-started': '未开始',
	'in-progress': '进行中',
	done: '已完成',
	overdue: '已逾期'
};

interface ModuleState {
	moduleId: number;
	slug: string;
	title: string;
	lessonsTotal: number;
	lessonsDone: number;
	opened: number;
	quizPassed: boolean;
	nextLesson: { slug: string; title: string } | null;
}

/** Per module of a course: lessons studied, whether its quiz was passed, the next lesson to read. */
export function moduleStates(db: Queryable, userId: number, courseId: number): ModuleState[] {
	const mods = db
		.select({ moduleId: modules.id, slug: modules.slug, title: modules.title })
		.from(courseModules)
		.innerJoin(modules, eq(modules.id, courseModules.moduleId))
		.where(eq(courseModules.courseId, courseId))
		.orderBy(asc(courseModules.position))
		.all();
	if (mods.length === 0) return [];
	const ids = mods.map((m) => m.moduleId);
	const lessonRows = db
		.select({
			moduleId: lessons.moduleId,
			slug: lessons.slug,
			title: lessons.title,
			opened: lessonProgress.openedAt,
			done: lessonProgress.completedAt
		})
		.from(lessons)
		.leftJoin(lessonProgress, and(eq(lessonProgress.lessonId, lessons.id), eq(lessonProgress.userId, userId)))
		.where(and(inArray(lessons.moduleId, ids), isNull(lessons.archivedAt)))
		.orderBy(asc(lessons.sortOrder), asc(lessons.id))
		.all();
	const passed = new Set(
		db
			.selectDistinct({ moduleId: attempts.moduleId })
			.from(attempts)
			.where(
				and(
					eq(attempts.userId, userId),
					eq(attempts.kind, 'module'),
					eq(attempts.passed, true),
					inArray(attempts.moduleId, ids)
				)
			)
			.all()
			.map((r) => r.moduleId)
	);
	return mods.map((m) => {
		const mine = lessonRows.filter((l) => l.moduleId === m.moduleId);
		const next = mine.find((l) => !l.done);
		return {
			...m,
			lessonsTotal: mine.length,
			lessonsDone: mine.filter((l) => l.done).length,
			opened: mine.filter((l) => l.opened).length,
			quizPassed: passed.has(m.moduleId),
			nextLesson: next ? { slug: next.slug, title: next.title } : null
		};
	});
}

/** An exam that is part of a course's completion rule, and whether the user's counted, released result passed. */
export interface ExamStep {
	examId: number;
	title: string;
	passed: boolean;
}

/**
 * The course's exams (not cancelled), in the order they open: a step each, done when the user's
 * counted result (the exam's counting rule, among released results) passed.
 */
export function examSteps(db: Queryable, userId: number, courseId: number): ExamStep[] {
	const rows = db
		.select({
			examId: exams.id,
			title: exams.title,
			counting: exams.counting,
			id: examAttempts.id,
			number: examAttempts.number,
			score: examAttempts.score,
			passed: examAttempts.passed,
			gradedAt: examAttempts.gradedAt,
			releasedAt: examAttempts.releasedAt
		})
		.from(exams)
		.leftJoin(
			examAttempts,
			and(
				eq(examAttempts.examId, exams.id),
				eq(examAttempts.userId, userId),
				isNotNull(examAttempts.releasedAt),
				isNotNull(examAttempts.gradedAt)
			)
		)
		.where(and(eq(exams.courseId, courseId), isNull(exams.cancelledAt)))
		.orderBy(asc(exams.opensAt), asc(exams.id))
		.all();
	const steps: ExamStep[] = [];
	for (const row of rows) {
		if (steps.some((s) => s.examId === row.examId)) continue;
		const attempts = rows.flatMap((r) =>
			r.examId === row.examId && r.id !== null && r.number !== null
				? [
						{
							id: r.id,
							number: r.number,
							score: r.score,
							passed: r.passed,
							gradedAt: r.gradedAt,
							releasedAt: r.releasedAt
						}
					]
				: []
		);
		steps.push({
			examId: row.examId,
			title: row.title,
			passed: !!countedAttempt(attempts, row.counting)?.passed
		});
	}
	return steps;
}

export interface CourseProgress {
	steps: number;
	stepsDone: number;
	percent: number;
	complete: boolean;
	started: boolean;
	nextStep: { label: string; href: string } | null;
}

/**
 * The completion rule: every lesson of every module studied, every module quiz passed, and a
 * released, passing result in each of the course's exams.
 */
export function courseProgress(states: ModuleState[], exams: ExamStep[] = []): CourseProgress {
	const steps = states.reduce((n, s) => n + s.lessonsTotal + 1, 0) + exams.length;
	const stepsDone =
		states.reduce((n, s) => n + s.lessonsDone + (s.quizPassed ? 1 : 0), 0) +
		exams.filter((e) => e.passed).length;
	const pending = states.find((s) => s.nextLesson || !s.quizPassed);
	const exam = exams.find((e) => !e.passed);
	const nextStep = pending
		? pending.nextLesson
			? {
					label: `学习《${pending.nextLesson.title}》`,
					href: `/learn/${pending.slug}/${pending.nextLesson.slug}`
				}
			: { label: `参加《${pending.title}》模块测验`, href: `/quiz/module/${pending.slug}` }
		: exam
			? { label: `参加考试“${exam.title}”`, href: `/exams/${exam.examId}` }
			: null;
	return {
		steps,
		stepsDone,
		percent: steps ? Math.round((stepsDone / steps) * 100) : 0,
		complete: steps > 0 && stepsDone === steps,
		started: states.some((s) => s.opened > 0 || s.quizPassed) || exams.some((e) => e.passed),
		nextStep
	};
}

/** A user's progress in a course: its modules and its exams. */
export function progressIn(db: Queryable, userId: number, courseId: number): CourseProgress {
	return courseProgress(moduleStates(db, userId, courseId), examSteps(db, userId, courseId));
}

export function taskStatus(
	p: { complete: boolean; started: boolean },
	completedAt: Date | null,
	dueOn: string,
	today: string
): TaskStatus {
	if (completedAt || p.complete) return 'done';
	if (today > dueOn) return 'overdue';
	return p.started ? 'in-progress' : 'not-started';
}

/** 我的任务: the user's active assigned courses, by their due date (their own, if they joined late), with status, progress and the next step. */
export function myTasks(db: Queryable, userId: number, now = new Date()) {
	const today = shanghaiDay(now);
	const rows = db
		.select({ course: courses, completedAt: enrolments.completedAt, ownDueOn: enrolments.dueOn })
		.from(enrolments)
		.innerJoin(courses, eq(courses.id, enrolments.courseId))
		.where(and(eq(enrolments.userId, userId), eq(enrolments.active, true)))
		.all();
	return rows
		.map(({ course, completedAt, ownDueOn }) => {
			const progress = progressIn(db, userId, course.id);
			const dueOn = dueOnOf(course.dueOn, ownDueOn);
			return {
				id: course.id,
				title: course.title,
				hours: course.hours,
				required: course.required,
				opensOn: course.opensOn,
				dueOn,
				daysLeft: daysBetween(today, dueOn),
				status: taskStatus(progress, completedAt, dueOn, today),
				completedAt,
				progress
			};
		})
		.sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.id - b.id));
}

/**
 * Completes every active course of the user whose rule is now met: credits its
 * hours once (in the Shanghai year of completion), issues the certificate and
 * tells the user. Call inside the transaction that recorded the progress.
 */
export function checkCourseCompletion(tx: Queryable, userId: number, now: Date): number {
	const open = tx
		.select({ course: courses })
		.from(enrolments)
		.innerJoin(courses, eq(courses.id, enrolments.courseId))
		.where(and(eq(enrolments.userId, userId), eq(enrolments.active, true), isNull(enrolments.completedAt)))
		.all();
	let completed = 0;
	for (const { course } of open) {
		if (!progressIn(tx, userId, course.id).complete) continue;
		const marked = tx
			.update(enrolments)
			.set({ completedAt: now })
			.where(
				and(eq(enrolments.courseId, course.id), eq(enrolments.userId, userId), isNull(enrolments.completedAt))
			)
			.run();
		if (marked.changes === 0) continue;
		credit(tx, {
			userId,
			source: 'course',
			sourceId: course.id,
			title: course.title,
			hours: course.hours,
			at: now
		});
		const serial = issueCertificate(tx, userId, course.id, now);
		notify(
			tx,
			{
				userId,
				kind: 'completed',
				title: `已完成${quoted(course.title)}`,
				body: `获得 ${course.hours} 学时和结业证书`,
				href: `/certificates/${serial}`,
				dedupeKey: `completed:${course.id}:${userId}`
			},
			now
		);
		completed++;
	}
	return completed;
}

/** Courses with at least one module in the list (to know which enrolments a change can affect). */
export function coursesWithModule(db: Queryable, moduleId: number): number[] {
	return db
		.select({ id: courseModules.courseId })
		.from(courseModules)
		.where(eq(courseModules.moduleId, moduleId))
		.all()
		.map((r) => r.id);
}
