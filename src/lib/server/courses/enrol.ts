import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { assignments, courses, enrolments, isMemberRole, MEMBER_ROLES, offices, users } from '../db/schema';
import { descendantIds } from '../org/offices';
import { canEditCourse, type CourseActor } from './courses';
import { notify } from './notifications';
import { checkCourseCompletion } from './progress';

/** The offices an office belongs to, itself first, then upwards. */
function ancestorIds(db: Queryable, officeId: number): number[] {
	return db
		.all<{ id: number }>(
			sql`WITH RECURSIVE up(id, parent) AS (
				SELECT id, parent_id FROM offices WHERE id = ${officeId}
				UNION ALL SELECT o.id, o.parent_id FROM offices o JOIN up ON o.id = up.parent
			) SELECT id FROM up`
		)
		.map((r) => r.id);
}

/** Courses whose live assignments reach this user: directly, through their office, or an ancestor's with descendants. */
function coveringCourseIds(db: Queryable, user: { id: number; officeId: number | null }): Set<number> {
	const chain = user.officeId ? ancestorIds(db, user.officeId) : [];
	const conditions = [eq(assignments.userId, user.id)];
	if (user.officeId) {
		conditions.push(eq(assignments.officeId, user.officeId));
		if (chain.length > 1) conditions.push(and(inArray(assignments.officeId, chain.slice(1)), eq(assignments.includeDescendants, true))!);
	}
	return new Set(
		db
			.selectDistinct({ courseId: assignments.courseId })
			.from(assignments)
			.where(and(isNull(assignments.withdrawnAt), or(...conditions)))
			.all()
			.map((r) => r.courseId)
	);
}

function enrol(tx: Queryable, userId: number, courseId: number, title: string, now: Date, completeNow = true): void {
	tx.insert(enrolments)
		.values({ courseId, userId, enrolledAt: now, active: true })
		.onConflictDoUpdate({ target: [enrolments.courseId, enrolments.userId], set: { active: true } })
		.run();
	notify(tx, { userId, kind: 'assigned', title: `新的学习任务：《${title}》`, body: '党校为你布置了专题班，请按期完成。', href: '/tasks', dedupeKey: `assigned:${courseId}:${userId}` }, now);
	// Someone who already did all the course asks completes it right away.
	if (completeNow) checkCourseCompletion(tx, userId, now);
}

/**
 * Brings one user's enrolments in line with the live assignments: a cadre who
 * joins an assigned office is enrolled, one who leaves it (or whose assignment
 * was withdrawn) keeps the progress but loses the obligation. A deactivated
 * user keeps their enrolments; figures leave them out by `users.active`.
 */
export function refreshEnrolments(tx: Queryable, userId: number, now = new Date()): void {
	const user = tx.select({ id: users.id, officeId: users.officeId, role: users.role }).from(users).where(eq(users.id, userId)).get();
	if (!user) return;
	const covering = isMemberRole(user.role) ? coveringCourseIds(tx, user) : new Set<number>();
	const existing = tx.select().from(enrolments).where(eq(enrolments.userId, userId)).all();
	for (const e of existing) {
		const shouldBeActive = covering.has(e.courseId);
		if (e.active !== shouldBeActive) {
			tx.update(enrolments).set({ active: shouldBeActive }).where(and(eq(enrolments.courseId, e.courseId), eq(enrolments.userId, userId))).run();
		}
		covering.delete(e.courseId);
	}
	for (const courseId of covering) {
		const title = tx.select({ title: courses.title }).from(courses).where(eq(courses.id, courseId)).get()?.title ?? '';
		enrol(tx, userId, courseId, title, now);
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
	actor: CourseActor & { id: number },
	courseId: number,
	input: AssignInput,
	now = new Date(),
	// Seeding history dates completions itself; everyone else completes on assignment.
	completeNow = true
): AssignResult {
	const course = db.select().from(courses).where(eq(courses.id, courseId)).get();
	if (!course) return { ok: false, errors: { _form: '课程不存在' } };
	if (!canEditCourse(actor, course)) return { ok: false, errors: { _form: '只能布置本校的课程' } };
	const officeIds = [...new Set(input.officeIds.filter((n) => Number.isInteger(n) && n > 0))];
	const usernames = [...new Set(input.usernames.map((u) => u.trim().toLowerCase()).filter(Boolean))];
	if (officeIds.length === 0 && usernames.length === 0) return { ok: false, errors: { officeIds: '请至少选择一个单位，或填写学员登录名' } };
	const knownOffices = officeIds.length ? db.select({ id: offices.id }).from(offices).where(inArray(offices.id, officeIds)).all() : [];
	if (knownOffices.length !== officeIds.length) return { ok: false, errors: { officeIds: '所选单位不存在' } };
	const named = usernames.length
		? db.select({ id: users.id, username: users.username, role: users.role, active: users.active }).from(users).where(inArray(users.username, usernames)).all()
		: [];
	const unknown = usernames.filter((u) => !named.some((n) => n.username === u && n.active && isMemberRole(n.role)));
	if (unknown.length) return { ok: false, errors: { usernames: `找不到这些在用的学员：${unknown.join('、')}` } };

	return db.transaction(
		(tx): AssignResult => {
			for (const officeId of officeIds) {
				tx.insert(assignments).values({ courseId, officeId, includeDescendants: input.includeDescendants, assignedBy: actor.id, assignedAt: now }).run();
			}
			for (const n of named) tx.insert(assignments).values({ courseId, userId: n.id, assignedBy: actor.id, assignedAt: now }).run();
			const reachedOffices = officeIds.flatMap((id) => (input.includeDescendants ? descendantIds(tx, id) : [id]));
			const members = reachedOffices.length
				? tx.select({ id: users.id }).from(users).where(and(inArray(users.officeId, reachedOffices), eq(users.active, true), inArray(users.role, [...MEMBER_ROLES]))).all()
				: [];
			const everyone = new Set([...members.map((m) => m.id), ...named.map((n) => n.id)]);
			for (const userId of everyone) enrol(tx, userId, courseId, course.title, now, completeNow);
			return { ok: true, enrolled: everyone.size };
		},
		{ behavior: 'immediate' }
	);
}

/** Withdraws an assignment: the obligation goes for those no other assignment reaches; progress is kept. */
export function withdrawAssignment(db: Db, actor: CourseActor, assignmentId: number, now = new Date()): { ok: true } | { ok: false; message: string } {
	const a = db.select().from(assignments).where(eq(assignments.id, assignmentId)).get();
	const course = a && db.select().from(courses).where(eq(courses.id, a.courseId)).get();
	if (!a || !course || a.withdrawnAt) return { ok: false, message: '这项布置不存在或已撤回' };
	if (!canEditCourse(actor, course)) return { ok: false, message: '只能撤回本校课程的布置' };
	db.transaction(
		(tx) => {
			tx.update(assignments).set({ withdrawnAt: now }).where(eq(assignments.id, assignmentId)).run();
			const affected = tx.select({ userId: enrolments.userId }).from(enrolments).where(eq(enrolments.courseId, a.courseId)).all();
			for (const { userId } of affected) refreshEnrolments(tx, userId, now);
		},
		{ behavior: 'immediate' }
	);
	return { ok: true };
}

export function listAssignments(db: Queryable, courseId: number) {
	return db
		.select({ id: assignments.id, officeName: offices.name, includeDescendants: assignments.includeDescendants, userName: users.name, username: users.username, assignedAt: assignments.assignedAt, withdrawnAt: assignments.withdrawnAt })
		.from(assignments)
		.leftJoin(offices, eq(offices.id, assignments.officeId))
		.leftJoin(users, eq(users.id, assignments.userId))
		.where(eq(assignments.courseId, courseId))
		.all();
}
