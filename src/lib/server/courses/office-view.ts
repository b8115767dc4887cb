import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../db';
import { courses, enrolments, users } from '../db/schema';
import { courseMembers, officeFigures } from './dashboard';

/** Courses that reach members of these offices, with the figures of those members only. */
export function coursesForOffices(db: Queryable, officeIds: number[]) {
	if (officeIds.length === 0) return [];
	const ids = db
		.selectDistinct({
			id: courses.id,
			title: courses.title,
			dueOn: courses.dueOn,
			hours: courses.hours,
			required: courses.required
		})
		.from(enrolments)
		.innerJoin(users, eq(users.id, enrolments.userId))
		.innerJoin(courses, eq(courses.id, enrolments.courseId))
		.where(and(eq(enrolments.active, true), inArray(users.officeId, officeIds)))
		.orderBy(asc(courses.dueOn))
		.all();
	return ids.map((c) => {
		const members = courseMembers(db, c.id, officeIds);
		return {
			...c,
			enrolled: members.length,
			completed: members.filter((m) => m.status === 'done').length,
			overdue: members.filter((m) => m.status === 'overdue').length,
			figures: officeFigures(members)
		};
	});
}
