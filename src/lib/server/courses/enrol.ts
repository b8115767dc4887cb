import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { assignments, courses, enrolments, offices, users } from '../db/schema';
import { isMemberRole } from '../access';
import { assigneeOf, membersReached, reachesUser } from '../org/assignments';
import { canEditCourse, type CourseActor } from './courses';
import { notify, quoted } from '../notifications';
import { checkCourseCompletion } from './progress';
import { dueOnOf, joinerDueOn } from './due';
import { shanghaiDay } from '../time';
import { recordAudit, type AuditActor, type Tx } from '../audit';
import { accountLabel } from '../users/describe';

/** Courses whose live assignments reach this user: directly, through their office, or an ancestor's with descendants. */
function coveringCourseIds(db: Queryable, user: { id: number; officeId: number | null }): Set<number> {
	return new Set(
		db
			.selectDistinct({ courseId: assignments.courseId })
			.from(assignments)
			.where(and(isNull(assignments.withdrawnAt), reachesUser(db, assignments, user)))
			.all()
			.map((r) => r.courseId)
	);
}

type CourseDates = Pick<typeof courses.$inferSelect, 'id' | 'title' | 'opensOn' | 'dueOn'>;

/**
 * Enrols a user, or re-enrols one whose enrolment had lapsed. `ownDueOn` is their own due day
 * when they join late (courses/due.ts); a return never shortens the time they already had.
 */
function enrol(
	tx: Queryable,
	userId: number,
	course: CourseDates,
	ownDueOn: string | null,
	now: Date,
	completeNow = true
): void {
	const key = and(eq(enrolments.courseId, course.id), eq(enrolments.userId, userId));
	const existing = tx
		.select({ active: enrolments.active, completedAt: enrolments.completedAt, dueOn: enrolments.dueOn })
		.from(enrolments)
		.where(key)
		.get();
	if (!existing) {
		tx.insert(enrolments)
			.values({ courseId: course.id, userId, enrolledAt: now, active: true, dueOn: ownDueOn })
			.run();
	} else if (!existing.active) {
		const later =
			!existing.completedAt && ownDueOn !== null && ownDueOn > dueOnOf(course.dueOn, existing.dueOn);
		tx.update(enrolments)
			.set(later ? { active: true, dueOn: ownDueOn } : { active: true })
			.where(key)
			.run();
	}
	notify(
		tx,
		{
			userId,
			kind: 'assigned',
			title: `新的学习任务：${quoted(course.title)}`,
			body: '党校为您布置了专题班，请按期完成。',
			href: '/tasks',
			dedupeKey: `assigned:${course.id}:${userId}`
		},
		now
	);
	// Someone who already did all the course asks completes it right away.
	if (completeNow) checkCourseCompletion(tx, userId, now);
}

function courseDates(tx: Queryable, courseId: number): CourseDates | undefined {
	return tx
		.select({ id: courses.id, title: courses.title, opensOn: courses.opensOn, dueOn: courses.dueOn })
		.from(courses)
		.where(eq(courses.id, courseId))
		.get();
}

/**
 * Brings one user's enrolments in line with the live assignments: a cadre who
 * joins an assigned office is enrolled, one who leaves it (or whose assignment
 * was withdrawn) keeps the progress but loses the obligation. A deactivated
 * user keeps their enrolments; figures leave them out by `users.active`.
 * Whoever is (re-)enrolled here joins after the assignment was made: once the
 * course has opened they get its length from today (courses/due.ts).
 */
export function refreshEnrolments(tx: Queryable, userId: number, now = new Date()): void {
	const user = tx
		.select({ id: users.id, officeId: users.officeId, role: users.role })
		.from(users)
		.where(eq(users.id, userId))
		.get();
	if (!user) return;
	const covering = isMemberRole(user.role) ? coveringCourseIds(tx, user) : new Set<number>();
	const existing = tx.select().from(enrolments).where(eq(enrolments.userId, userId)).all();
	const joining: number[] = [];
	for (const e of existing) {
		const shouldBeActive = covering.has(e.courseId);
		if (e.active && !shouldBeActive) {
			tx.update(enrolments)
				.set({ active: false })
				.where(and(eq(enrolments.courseId, e.courseId), eq(enrolments.userId, userId)))
				.run();
		} else if (!e.active && shouldBeActive) joining.push(e.courseId);
		covering.delete(e.courseId);
	}
	const today = shanghaiDay(now);
	for (const courseId of [...joining, ...covering]) {
		const course = courseDates(tx, courseId);
		if (course) enrol(tx, userId, course, joinerDueOn(course, today), now);
	}
}

export interface AssignInput {
	officeIds: number[];
	includeDescendants: boolean;
	usernames: string[];
}

export type AssignResult = { ok: true; enrolled: number } | { ok: false; errors: Record<string, string> };

/** Assigns a course to offices and/or named cadres; current members are enrolled at once. */
export function assignCourse(
	db: Db,
	actor: CourseActor & AuditActor,
	courseId: number,
	input: AssignInput,
	now = new Date(),
	// Seeding history dates completions itself; everyone else completes on assignment.
	completeNow = true
): AssignResult {
	const course = db.select().from(courses).where(eq(courses.id, courseId)).get();
	if (!course) return { ok: false, errors: { _form: '没有找到这个专题班' } };
	if (!canEditCourse(actor, course)) return { ok: false, errors: { _form: '只能布置本校的课程' } };
	const officeIds = [...new Set(input.officeIds.filter((n) => Number.isInteger(n) && n > 0))];
	const usernames = [...new Set(input.usernames.map((u) => u.trim().toLowerCase()).filter(Boolean))];
	if (officeIds.length === 0 && usernames.length === 0)
		return { ok: false, errors: { officeIds: '请至少选择一个单位，或填写学员登录名' } };
	const knownOffices = officeIds.length
		? db
				.select({ id: offices.id, name: offices.name })
				.from(offices)
				.where(inArray(offices.id, officeIds))
				.all()
		: [];
	if (knownOffices.length !== officeIds.length) return { ok: false, errors: { officeIds: '所选单位不存在' } };
	const named = usernames.length
		? db
				.select({
					id: users.id,
					username: users.username,
					name: users.name,
					officeId: users.officeId,
					role: users.role,
					active: users.active
				})
				.from(users)
				.where(inArray(users.username, usernames))
				.all()
		: [];
	const unknown = usernames.filter(
		(u) => !named.some((n) => n.username === u && n.active && isMemberRole(n.role))
	);
	if (unknown.length)
		return { ok: false, errors: { usernames: `没有找到这些在用的学员：${unknown.join('、')}` } };

	return db.transaction((tx): AssignResult => {
		for (const officeId of officeIds) {
			tx.insert(assignments)
				.values({
					courseId,
					officeId,
					includeDescendants: input.includeDescendants,
					assignedBy: actor.id,
					assignedAt: now
				})
				.run();
		}
		for (const n of named)
			tx.insert(assignments).values({ courseId, userId: n.id, assignedBy: actor.id, assignedAt: now }).run();
		const members = membersReached(tx, officeIds, input.includeDescendants);
		const everyone = new Set([...members.map((m) => m.id), ...named.map((n) => n.id)]);
		// The course's dates are the plan for those it reaches now, unless it is already past due.
		const today = shanghaiDay(now);
		const ownDueOn = today > course.dueOn ? joinerDueOn(course, today) : null;
		for (const userId of everyone) enrol(tx, userId, course, ownDueOn, now, completeNow);
		auditAssignment(tx, actor, course, knownOffices, input.includeDescendants, named, now);
		return { ok: true, enrolled: everyone.size };
	});
}

/** One entry per office reached (and per office of the cadres named), so each office's admins see what reached them. */
function auditAssignment(
	tx: Tx,
	actor: AuditActor,
	course: { id: number; title: string; schoolId: number },
	officeList: { id: number; name: string }[],
	includeDescendants: boolean,
	named: { name: string; username: string; officeId: number | null }[],
	at: Date
): void {
	const entry = {
		action: 'course.assign' as const,
		schoolId: course.schoolId,
		target: { type: 'course' as const, id: course.id },
		at
	};
	for (const o of officeList) {
		recordAudit(tx, actor, {
			...entry,
			officeId: o.id,
			summary: `将专题班《${course.title}》布置给 ${o.name}${includeDescendants ? '及其下级单位' : ''}`
		});
	}
	const byOffice = new Map<number | null, typeof named>();
	for (const n of named) byOffice.set(n.officeId, [...(byOffice.get(n.officeId) ?? []), n]);
	for (const [officeId, people] of byOffice) {
		recordAudit(tx, actor, {
			...entry,
			officeId,
			summary: `将专题班《${course.title}》布置给 ${people.map(accountLabel).join('、')}`
		});
	}
}

/** Withdraws an assignment: the obligation goes for those no other assignment reaches; progress is kept. */
export function withdrawAssignment(
	db: Db,
	actor: CourseActor & AuditActor,
	assignmentId: number,
	now = new Date()
): { ok: true } | { ok: false; message: string } {
	const a = db.select().from(assignments).where(eq(assignments.id, assignmentId)).get();
	const course = a && db.select().from(courses).where(eq(courses.id, a.courseId)).get();
	if (!a || !course || a.withdrawnAt) return { ok: false, message: '没有找到这项布置，或它已撤回' };
	if (!canEditCourse(actor, course)) return { ok: false, message: '只能撤回本校课程的布置' };
	db.transaction((tx) => {
		tx.update(assignments).set({ withdrawnAt: now }).where(eq(assignments.id, assignmentId)).run();
		const affected = tx
			.select({ userId: enrolments.userId })
			.from(enrolments)
			.where(eq(enrolments.courseId, a.courseId))
			.all();
		for (const { userId } of affected) refreshEnrolments(tx, userId, now);
		const assignee = assigneeOf(tx, a);
		recordAudit(tx, actor, {
			action: 'course.withdraw',
			officeId: assignee.officeId,
			schoolId: course.schoolId,
			target: { type: 'assignment', id: a.id },
			summary: `撤回专题班《${course.title}》对 ${assignee.label} 的布置`,
			at: now
		});
	});
	return { ok: true };
}

export function listAssignments(db: Queryable, courseId: number) {
	return db
		.select({
			id: assignments.id,
			officeName: offices.name,
			includeDescendants: assignments.includeDescendants,
			userName: users.name,
			username: users.username,
			assignedAt: assignments.assignedAt,
			withdrawnAt: assignments.withdrawnAt
		})
		.from(assignments)
		.leftJoin(offices, eq(offices.id, assignments.officeId))
		.leftJoin(users, eq(users.id, assignments.userId))
		.where(eq(assignments.courseId, courseId))
		.all();
}
