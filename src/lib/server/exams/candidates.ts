import { and, count, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { likeContains } from '../db/like';
import { examAssignments, examCandidates, exams, offices, users } from '../db/schema';
import { isMemberRole, MEMBER_ROLES } from '../access';
import type { Owner } from '../authoring/owner';
import { recordAudit, type AuditActor } from '../audit';
import { notify } from '../notifications';
import { assigneeOf, membersReached, reachesUser } from '../org/assignments';
import { descendantIds, flattenTree, listOffices, officeTree } from '../org/offices';
import { accountLabel } from '../users/describe';
import { PINYIN_ORDER } from '../users/name-key';
import { windowErrors } from './exams';
import { EXAM_NOT_FOUND, ownedExam, type ExamRow } from './owned';
import { candidateWindow } from './taking';
import type { Saved } from './types';

// 考生: enrolled by assignments like courses (offices ± descendants, named people). People who
// join a covered office later are enrolled while the exam's window has not closed; withdrawing
// an assignment takes off those no other assignment covers (their attempts are kept).

export const CANDIDATE_PAGE_SIZE = 50;
const MAX_EXTRA_ATTEMPTS = 10;

export type AssignTarget = { officeId: number; includeDescendants: boolean } | { userId: number };

/** The offices an owner may assign to: any office for a school, the office and those below it for an office. */
function scopeOfficeIds(db: Queryable, owner: Owner): Set<number> | 'all' {
	return owner.kind === 'school' ? 'all' : new Set(descendantIds(db, owner.officeId));
}

const inScope = (scope: Set<number> | 'all', officeId: number | null) =>
	officeId !== null && (scope === 'all' || scope.has(officeId));

/** The offices of the assign form, as an indented tree (depth from the top shown). */
export function assignableOffices(
	db: Queryable,
	owner: Owner
): { id: number; name: string; depth: number }[] {
	const scope = scopeOfficeIds(db, owner);
	const list = flattenTree(officeTree(listOffices(db))).filter((o) => inScope(scope, o.id));
	const top = Math.min(...list.map((o) => o.depth));
	return list.map((o) => ({ id: o.id, name: o.name, depth: o.depth - (Number.isFinite(top) ? top : 0) }));
}

/** Active members in the owner's scope whose name or login matches (pinyin order, at most 20). */
export function assignablePeople(
	db: Queryable,
	owner: Owner,
	q: string
): { id: number; name: string; username: string; officeName: string }[] {
	const text = q.trim();
	if (!text) return [];
	const scope = scopeOfficeIds(db, owner);
	return db
		.select({ id: users.id, name: users.name, username: users.username, officeName: offices.name })
		.from(users)
		.innerJoin(offices, eq(offices.id, users.officeId))
		.where(
			and(
				eq(users.active, true),
				inArray(users.role, [...MEMBER_ROLES]),
				scope === 'all' ? undefined : inArray(users.officeId, [...scope]),
				or(likeContains(users.name, text), likeContains(users.username, text.toLowerCase()))
			)
		)
		.orderBy(...PINYIN_ORDER)
		.limit(20)
		.all();
}

/** The notice a new candidate gets (once per exam). */
function noticeOf(exam: Pick<ExamRow, 'id' | 'title'>, userId: number) {
	return {
		userId,
		kind: 'assigned' as const,
		title: `新的考试：“${exam.title}”`,
		body: '您被列入考生名单，请在考试时段内参加考试。',
		href: `/exams/${exam.id}`,
		dedupeKey: `exam-assigned:${exam.id}:${userId}`
	};
}

/** Puts a person on an exam's list (or back on it); returns whether they were not on it before. */
function enrol(
	tx: Queryable,
	exam: Pick<ExamRow, 'id' | 'title'>,
	user: { id: number; officeId: number | null },
	now: Date
): boolean {
	const key = and(eq(examCandidates.examId, exam.id), eq(examCandidates.userId, user.id));
	const existing = tx.select({ active: examCandidates.active }).from(examCandidates).where(key).get();
	if (existing?.active) return false;
	if (existing) tx.update(examCandidates).set({ active: true, officeId: user.officeId }).where(key).run();
	else
		tx.insert(examCandidates)
			.values({ examId: exam.id, userId: user.id, officeId: user.officeId, enrolledAt: now, active: true })
			.run();
	notify(tx, noticeOf(exam, user.id), now);
	return true;
}

/**
 * Assigns an exam to an office (with or without the offices below it) or one person in the
 * owner's scope; every active member it reaches becomes a candidate now.
 */
export function assignExam(
	db: Db,
	actor: AuditActor,
	owner: Owner,
	examId: number,
	target: AssignTarget,
	now = new Date()
): Saved<{ enrolled: number }> {
	const exam = ownedExam(db, owner, examId);
	if (!exam) return { ok: false, errors: { _form: EXAM_NOT_FOUND } };
	if (exam.cancelledAt) return { ok: false, errors: { _form: '考试已取消，不能再布置' } };
	if (exam.releasedAt)
		return { ok: false, errors: { _form: '成绩已经公布，不能再布置；如需补考，请为考生单独安排' } };
	const scope = scopeOfficeIds(db, owner);
	const live = and(eq(examAssignments.examId, examId), isNull(examAssignments.withdrawnAt));
	if ('userId' in target) {
		const person = Number.isInteger(target.userId)
			? db
					.select({
						id: users.id,
						name: users.name,
						username: users.username,
						officeId: users.officeId,
						role: users.role,
						active: users.active
					})
					.from(users)
					.where(eq(users.id, target.userId))
					.get()
			: undefined;
		if (!person || !person.active || !isMemberRole(person.role) || !inScope(scope, person.officeId))
			return { ok: false, errors: { userId: '没有找到这名学员，或不在您的管理范围内' } };
		if (
			db
				.select({ id: examAssignments.id })
				.from(examAssignments)
				.where(and(live, eq(examAssignments.userId, person.id)))
				.get()
		)
			return { ok: false, errors: { userId: `已经布置给 ${accountLabel(person)}` } };
		return db.transaction((tx) => {
			tx.insert(examAssignments)
				.values({ examId, userId: person.id, assignedBy: actor.id, assignedAt: now })
				.run();
			const enrolled = enrol(tx, exam, person, now) ? 1 : 0;
			recordAudit(tx, actor, {
				action: 'exam.assign',
				officeId: person.officeId,
				schoolId: exam.ownerSchoolId,
				target: { type: 'exam', id: examId },
				summary: `将考试《${exam.title}》布置给 ${accountLabel(person)}`,
				at: now
			});
			return { ok: true, value: { enrolled } };
		});
	}
	const office = Number.isInteger(target.officeId)
		? db
				.select({ id: offices.id, name: offices.name })
				.from(offices)
				.where(eq(offices.id, target.officeId))
				.get()
		: undefined;
	if (!office || !inScope(scope, office.id))
		return { ok: false, errors: { officeId: '没有找到这个单位，或不在您的管理范围内' } };
	const includeDescendants = !!target.includeDescendants;
	const same = db
		.select({ id: examAssignments.id })
		.from(examAssignments)
		.where(
			and(
				live,
				eq(examAssignments.officeId, office.id),
				eq(examAssignments.includeDescendants, includeDescendants)
			)
		)
		.get();
	if (same)
		return {
			ok: false,
			errors: { officeId: `已经布置给 ${office.name}${includeDescendants ? '及其下级单位' : ''}` }
		};
	return db.transaction((tx) => {
		tx.insert(examAssignments)
			.values({ examId, officeId: office.id, includeDescendants, assignedBy: actor.id, assignedAt: now })
			.run();
		const members = membersReached(tx, [office.id], includeDescendants);
		let enrolled = 0;
		for (const m of members) if (enrol(tx, exam, m, now)) enrolled++;
		recordAudit(tx, actor, {
			action: 'exam.assign',
			officeId: office.id,
			schoolId: exam.ownerSchoolId,
			target: { type: 'exam', id: examId },
			summary: `将考试《${exam.title}》布置给 ${office.name}${includeDescendants ? '及其下级单位' : ''}（${members.length} 人）`,
			at: now
		});
		return { ok: true, value: { enrolled } };
	});
}

/** Exam ids whose live assignments reach this user: directly, through their office, or an ancestor's with descendants. */
function coveringExamIds(
	tx: Queryable,
	user: { id: number; officeId: number | null },
	examIds?: number[]
): Set<number> {
	return new Set(
		tx
			.selectDistinct({ examId: examAssignments.examId })
			.from(examAssignments)
			.where(
				and(
					isNull(examAssignments.withdrawnAt),
					examIds ? inArray(examAssignments.examId, examIds) : undefined,
					reachesUser(tx, examAssignments, user)
				)
			)
			.all()
			.map((r) => r.examId)
	);
}

/**
 * Brings one user's candidacies in line with the live assignments, for exams whose window has
 * not closed (a closed exam's list stays as it was sat): someone who joins a covered office is
 * enrolled (and notified), someone who leaves it, or is no longer a member, is taken off the
 * list (their attempts are kept). Called next to every refreshEnrolments in users/.
 */
export function refreshExamCandidates(tx: Queryable, userId: number, now = new Date()): void {
	const user = tx
		.select({ id: users.id, officeId: users.officeId, role: users.role, active: users.active })
		.from(users)
		.where(eq(users.id, userId))
		.get();
	if (!user) return;
	const openExams = tx
		.select({ id: exams.id, title: exams.title })
		.from(exams)
		.where(and(isNull(exams.cancelledAt), isNull(exams.releasedAt), gt(exams.closesAt, now)))
		.all();
	if (openExams.length === 0) return;
	const open = new Map(openExams.map((e) => [e.id, e]));
	const covering = isMemberRole(user.role) ? coveringExamIds(tx, user, [...open.keys()]) : new Set<number>();
	const existing = tx
		.select({ examId: examCandidates.examId, active: examCandidates.active })
		.from(examCandidates)
		.where(and(eq(examCandidates.userId, userId), inArray(examCandidates.examId, [...open.keys()])))
		.all();
	for (const c of existing) {
		if (c.active && !covering.has(c.examId))
			tx.update(examCandidates)
				.set({ active: false })
				.where(and(eq(examCandidates.examId, c.examId), eq(examCandidates.userId, userId)))
				.run();
		else if (!c.active && covering.has(c.examId) && user.active) enrol(tx, open.get(c.examId)!, user, now);
		covering.delete(c.examId);
	}
	if (!user.active) return;
	for (const examId of covering) enrol(tx, open.get(examId)!, user, now);
}

/**
 * Withdraws an assignment: its candidates whom no other live assignment covers leave the list
 * (inactive; attempts are never deleted).
 */
export function withdrawExamAssignment(
	db: Db,
	actor: AuditActor,
	owner: Owner,
	examId: number,
	assignmentId: number,
	now = new Date()
): Saved<null> {
	const exam = ownedExam(db, owner, examId);
	if (!exam) return { ok: false, errors: { _form: EXAM_NOT_FOUND } };
	const a = Number.isInteger(assignmentId)
		? db.select().from(examAssignments).where(eq(examAssignments.id, assignmentId)).get()
		: undefined;
	if (!a || a.examId !== examId || a.withdrawnAt)
		return { ok: false, errors: { _form: '没有找到这项布置，或它已撤回' } };
	return db.transaction((tx) => {
		tx.update(examAssignments).set({ withdrawnAt: now }).where(eq(examAssignments.id, a.id)).run();
		const active = tx
			.select({ userId: examCandidates.userId, officeId: users.officeId })
			.from(examCandidates)
			.innerJoin(users, eq(users.id, examCandidates.userId))
			.where(and(eq(examCandidates.examId, examId), eq(examCandidates.active, true)))
			.all();
		for (const c of active) {
			if (coveringExamIds(tx, { id: c.userId, officeId: c.officeId }, [examId]).has(examId)) continue;
			tx.update(examCandidates)
				.set({ active: false })
				.where(and(eq(examCandidates.examId, examId), eq(examCandidates.userId, c.userId)))
				.run();
		}
		const assignee = assigneeOf(tx, a);
		recordAudit(tx, actor, {
			action: 'exam.withdraw',
			officeId: assignee.officeId,
			schoolId: exam.ownerSchoolId,
			target: { type: 'exam', id: examId },
			summary: `撤回考试《${exam.title}》对 ${assignee.label} 的布置`,
			at: now
		});
		return { ok: true, value: null };
	});
}

/** An exam's assignments, live and withdrawn, in the order made (exported as examAssignments). */
function examAssignmentList(db: Queryable, examId: number) {
	return db
		.select({
			id: examAssignments.id,
			officeName: offices.name,
			includeDescendants: examAssignments.includeDescendants,
			userName: users.name,
			username: users.username,
			assignedAt: examAssignments.assignedAt,
			withdrawnAt: examAssignments.withdrawnAt
		})
		.from(examAssignments)
		.leftJoin(offices, eq(offices.id, examAssignments.officeId))
		.leftJoin(users, eq(users.id, examAssignments.userId))
		.where(eq(examAssignments.examId, examId))
		.orderBy(examAssignments.id)
		.all()
		.map((r) => ({
			id: r.id,
			label:
				r.officeName !== null
					? r.officeName
					: r.userName !== null
						? accountLabel({ name: r.userName, username: r.username ?? '' })
						: '',
			includeDescendants: r.includeDescendants,
			assignedAt: r.assignedAt,
			withdrawnAt: r.withdrawnAt
		}));
}

export { examAssignmentList as examAssignments };

export interface CandidateRow {
	userId: number;
	name: string;
	username: string;
	officeName: string;
	attempts: number;
	best: number | null;
	/** In plain words: 未参加, 作答中, 已交卷, 缺考, 已移出名单. */
	state: string;
	ownWindow: { opensAt: Date; closesAt: Date } | null;
	extraAttempts: number;
	leaves: number;
}

/** An exam's candidates (pinyin order), with their attempts, best score and state; 50 a page. */
export function listCandidates(
	db: Queryable,
	owner: Owner,
	examId: number,
	opts: { page: number; q?: string },
	now = new Date()
): { rows: CandidateRow[]; total: number } | undefined {
	const exam = ownedExam(db, owner, examId);
	if (!exam) return undefined;
	const text = opts.q?.trim();
	const where = and(
		eq(examCandidates.examId, examId),
		text ? or(likeContains(users.name, text), likeContains(users.username, text.toLowerCase())) : undefined
	);
	const total =
		db
			.select({ n: count() })
			.from(examCandidates)
			.innerJoin(users, eq(users.id, examCandidates.userId))
			.where(where)
			.get()?.n ?? 0;
	const page = Math.max(1, Math.floor(opts.page || 1));
	const rows = db
		.select({
			userId: users.id,
			name: users.name,
			username: users.username,
			officeName: offices.name,
			active: examCandidates.active,
			extraAttempts: examCandidates.extraAttempts,
			opensAt: examCandidates.opensAt,
			closesAt: examCandidates.closesAt,
			attempts: sql<number>`(SELECT count(*) FROM exam_attempts a WHERE a.exam_id = ${examId} AND a.user_id = ${users.id})`,
			submitted: sql<number>`(SELECT count(*) FROM exam_attempts a WHERE a.exam_id = ${examId} AND a.user_id = ${users.id}
				AND a.submitted_at IS NOT NULL)`,
			running: sql<number>`(SELECT count(*) FROM exam_attempts a WHERE a.exam_id = ${examId} AND a.user_id = ${users.id}
				AND a.submitted_at IS NULL)`,
			best: sql<
				number | null
			>`(SELECT max(a.score) FROM exam_attempts a WHERE a.exam_id = ${examId} AND a.user_id = ${users.id})`,
			leaves: sql<number>`(SELECT coalesce(sum(a.leave_count), 0) FROM exam_attempts a WHERE a.exam_id = ${examId}
				AND a.user_id = ${users.id})`
		})
		.from(examCandidates)
		.innerJoin(users, eq(users.id, examCandidates.userId))
		.leftJoin(offices, eq(offices.id, examCandidates.officeId))
		.where(where)
		.orderBy(...PINYIN_ORDER)
		.limit(CANDIDATE_PAGE_SIZE)
		.offset((page - 1) * CANDIDATE_PAGE_SIZE)
		.all();
	return {
		total,
		rows: rows.map((r) => {
			const window = candidateWindow(exam, r);
			const state = !r.active
				? '已移出名单'
				: r.running > 0
					? '作答中'
					: r.submitted > 0
						? '已交卷'
						: now >= window.closesAt
							? '缺考'
							: now < window.opensAt
								? '未开始'
								: '未参加';
			return {
				userId: r.userId,
				name: r.name,
				username: r.username,
				officeName: r.officeName ?? '',
				attempts: r.attempts,
				best: r.best,
				state,
				ownWindow: r.opensAt && r.closesAt ? { opensAt: r.opensAt, closesAt: r.closesAt } : null,
				extraAttempts: r.extraAttempts,
				leaves: r.leaves
			};
		})
	};
}

const timeText = (at: Date) => {
	const d = new Date(at.getTime() + 8 * 3_600_000).toISOString();
	return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
};

/**
 * 补考: gives one candidate extra attempts and/or their own window (replacing the exam's for
 * them). The window follows the exam's rules (opens before it closes, the duration fits);
 * extra attempts without a window must still have an open window to be used in.
 */
export function grantRetake(
	db: Db,
	actor: AuditActor,
	owner: Owner,
	examId: number,
	userId: number,
	grant: { extraAttempts: number; opensAt: Date | null; closesAt: Date | null },
	now = new Date()
): Saved<null> {
	const exam = ownedExam(db, owner, examId);
	if (!exam) return { ok: false, errors: { _form: EXAM_NOT_FOUND } };
	if (exam.cancelledAt) return { ok: false, errors: { _form: '考试已取消，不能安排补考' } };
	const candidate = Number.isInteger(userId)
		? db
				.select()
				.from(examCandidates)
				.where(and(eq(examCandidates.examId, examId), eq(examCandidates.userId, userId)))
				.get()
		: undefined;
	if (!candidate) return { ok: false, errors: { _form: '这名学员不在考生名单中' } };
	if (!candidate.active) return { ok: false, errors: { _form: '这名学员已移出考生名单，请先重新布置' } };
	const errors: Record<string, string> = {};
	const extra = grant.extraAttempts;
	if (!Number.isInteger(extra) || extra < 0 || extra > MAX_EXTRA_ATTEMPTS)
		errors.extraAttempts = `增加的作答次数应为 0–${MAX_EXTRA_ATTEMPTS} 次`;
	const hasWindow = grant.opensAt !== null || grant.closesAt !== null;
	if (hasWindow) {
		Object.assign(errors, windowErrors(grant.opensAt, grant.closesAt, exam.durationMinutes));
		if (!errors.closesAt && grant.closesAt && grant.closesAt <= now) errors.closesAt = '补考结束时间已经过去';
	}
	if (!errors.extraAttempts && extra === 0 && !hasWindow)
		errors._form = '请增加作答次数，或安排补考时段，或两者都安排';
	if (Object.keys(errors).length) return { ok: false, errors };
	const window = hasWindow
		? { opensAt: grant.opensAt!, closesAt: grant.closesAt! }
		: candidateWindow(exam, candidate);
	if (!hasWindow && now >= window.closesAt)
		return { ok: false, errors: { opensAt: '考试时段已经结束，请同时安排补考时段' } };
	const person = db
		.select({ name: users.name, username: users.username, officeId: users.officeId })
		.from(users)
		.where(eq(users.id, userId))
		.get()!;
	return db.transaction((tx) => {
		tx.update(examCandidates)
			.set({
				extraAttempts: candidate.extraAttempts + extra,
				...(hasWindow ? { opensAt: grant.opensAt, closesAt: grant.closesAt } : {})
			})
			.where(and(eq(examCandidates.examId, examId), eq(examCandidates.userId, userId)))
			.run();
		const what = [
			extra ? `增加 ${extra} 次作答机会` : '',
			hasWindow ? `补考时段 ${timeText(window.opensAt)} 至 ${timeText(window.closesAt)}` : ''
		]
			.filter(Boolean)
			.join('，');
		notify(
			tx,
			{
				userId,
				kind: 'assigned',
				title: `补考安排：“${exam.title}”`,
				body: `${what}。`,
				href: `/exams/${examId}`,
				dedupeKey: `exam-retake:${examId}:${userId}:${now.getTime()}`
			},
			now
		);
		recordAudit(tx, actor, {
			action: 'exam.retake',
			officeId: person.officeId,
			schoolId: exam.ownerSchoolId,
			target: { type: 'exam', id: examId },
			summary: `为 ${accountLabel(person)} 安排考试《${exam.title}》的补考：${what}`,
			at: now
		});
		return { ok: true, value: null };
	});
}
