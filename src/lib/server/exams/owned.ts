import { eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { exams } from '../db/schema';
import { ownsRow, type Owner } from '../authoring/owner';

// What grading, release, results, dashboards and exports share: an exam row, found only
// within its owner's scope, and the office/school its audit rows concern.

export type ExamRow = typeof exams.$inferSelect;

export const EXAM_NOT_FOUND = '没有找到这场考试，或不在您的管理范围内';

/** The exam if this owner's (cancelled ones included: their records stay readable). */
export function ownedExam(db: Queryable, owner: Owner, examId: number): ExamRow | undefined {
	if (!Number.isInteger(examId) || examId <= 0) return undefined;
	const exam = db.select().from(exams).where(eq(exams.id, examId)).get();
	return exam && ownsRow(owner, exam) ? exam : undefined;
}

/** The office/school an audit row about this exam concerns (who may read it in 日志中心). */
export function auditScope(exam: ExamRow): { officeId: number | null; schoolId: number | null } {
	return { officeId: exam.ownerOfficeId, schoolId: exam.ownerSchoolId };
}

/** The owner's name: the party school's or the office's. */
export { ownerName } from '../authoring/store';

/** A number in half-point steps (scores, means of two grades). */
export function toHalf(value: number): number {
	// A hair over, so that 2.25 computed as 2.2499999… still rounds half up.
	return Math.round(value * 2 + 1e-9) / 2;
}

/** The exam's title in quotes, as notices and audit summaries show it. */
export const titled = (title: string) => `“${title.trim()}”`;
