import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import {
	attempts,
	courses,
	enrolments,
	lessonProgress,
	lessons,
	modules,
	offices,
	users
} from '../db/schema';
import { certificatesOf } from './certificates';
import { creditList, hoursByYear } from './hours';

/** 学习档案: everything a cadre has done, for the record page and its A4 print. */
export function studyRecord(db: Queryable, userId: number) {
	const person = db
		.select({ name: users.name, username: users.username, title: users.title, officeName: offices.name })
		.from(users)
		.leftJoin(offices, eq(offices.id, users.officeId))
		.where(eq(users.id, userId))
		.get();
	if (!person) return null;
	const completedCourses = db
		.select({
			id: courses.id,
			title: courses.title,
			hours: courses.hours,
			required: courses.required,
			completedAt: enrolments.completedAt
		})
		.from(enrolments)
		.innerJoin(courses, eq(courses.id, enrolments.courseId))
		.where(and(eq(enrolments.userId, userId), isNotNull(enrolments.completedAt)))
		.orderBy(asc(enrolments.completedAt))
		.all();
	const studied = db
		.select({
			title: modules.title,
			done: sql<number>`count(${lessonProgress.completedAt})`,
			total: sql<number>`(SELECT count(*) FROM lessons l2 WHERE l2.module_id = ${modules.id} AND l2.archived_at IS NULL)`,
			last: sql<number | null>`max(${lessonProgress.completedAt})`
		})
		.from(lessonProgress)
		.innerJoin(lessons, eq(lessons.id, lessonProgress.lessonId))
		.innerJoin(modules, eq(modules.id, lessons.moduleId))
		.where(and(eq(lessonProgress.userId, userId), isNotNull(lessonProgress.completedAt)))
		.groupBy(modules.id)
		.orderBy(asc(modules.sortOrder))
		.all();
	const bestScores = db
		.select({
			title: modules.title,
			best: sql<number>`max(${attempts.percent})`,
			tries: sql<number>`count(*)`
		})
		.from(attempts)
		.innerJoin(modules, eq(modules.id, attempts.moduleId))
		.where(and(eq(attempts.userId, userId), eq(attempts.kind, 'module'), isNotNull(attempts.submittedAt)))
		.groupBy(modules.id)
		.orderBy(asc(modules.sortOrder))
		.all();
	return {
		person,
		completedCourses,
		studied,
		bestScores,
		hoursByYear: hoursByYear(db, userId),
		credits: creditList(db, userId),
		certificates: certificatesOf(db, userId)
	};
}
