import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { exams } from '../db/schema';
import { recordAudit, type AuditActor } from '../audit';
import type { Owner } from '../authoring/owner';
import { credit } from '../courses/hours';
import { checkCourseCompletion } from '../courses/progress';
import { notify } from '../notifications';
import { dateTimeLabel } from '../../format';
import type { Saved } from './types';
import { computeItemAnalysis } from './analysis';
import { byUser, countedAttempt } from './counted';
import { ungradedAnswers } from './grading';
import { auditScope, EXAM_NOT_FOUND, ownedExam, titled, type ExamRow } from './owned';
import { finaliseOverdueExams } from './taking';
import { gradingStatements } from './statements';

export { countedAttempt } from './counted';

// 公布成绩: once the window (everyone's, 补考 included) has closed, nobody is still writing and
// every 简答 answer is graded, the graded attempts become visible to their candidates. In the
// same transaction: the item analysis is recomputed, 学时 credited once to those whose counted
// result passed, their courses checked for completion, and every candidate told. Releasing
// again later releases retakes graded since.

/** Why results cannot be released now, or null when they can. */
export function releaseRefusal(tx: Tx | Db, exam: ExamRow, now: Date): string | null {
	if (exam.cancelledAt) return '这场考试已取消，不能公布成绩';
	if (now < exam.closesAt)
		return `考试还没有结束（${dateTimeLabel(exam.closesAt)} 截止），结束后才能公布成绩`;
	const st = gradingStatements(tx);
	const retakes = st.openRetakes.get({ examId: exam.id, now: now.getTime() }) ?? 0;
	if (retakes > 0) return `还有 ${retakes} 位考生的补考时段没有结束，不能公布成绩`;
	const running = st.runningAttempts.get({ examId: exam.id }) ?? 0;
	if (running > 0) return `还有 ${running} 位考生正在作答，不能公布成绩`;
	const ungraded = ungradedAnswers(tx, exam.id);
	if (ungraded > 0) return `还有 ${ungraded} 份简答未评完，不能公布成绩`;
	return null;
}

/** Releases what is graded and unreleased (the refusal already checked). Returns how many attempts. */
function release(tx: Tx, exam: ExamRow, actor: AuditActor | null, now: Date): number {
	const st = gradingStatements(tx);
	const fresh = st.unreleased.all({ examId: exam.id });
	st.releaseAttempts.run({ at: now.getTime(), examId: exam.id });
	const firstTime = exam.releasedAt === null;
	if (firstTime) tx.update(exams).set({ releasedAt: now }).where(eq(exams.id, exam.id)).run();
	computeItemAnalysis(tx, exam.id, now);

	// The newest attempt released now per candidate: their notice's key, so a retake released later notifies again.
	const newest = new Map<number, number>();
	for (const a of fresh) newest.set(a.userId, Math.max(newest.get(a.userId) ?? 0, a.id));
	const attempts = byUser(st.gradedAttempts.all({ examId: exam.id }));
	let passed = 0;
	for (const [userId, newestId] of newest) {
		const counted = countedAttempt(attempts.get(userId) ?? [], exam.counting);
		if (counted?.passed) {
			passed++;
			if (exam.creditHours > 0)
				credit(tx, {
					userId,
					source: 'exam',
					sourceId: exam.id,
					title: exam.title,
					hours: exam.creditHours,
					at: now
				});
			if (exam.courseId !== null) checkCourseCompletion(tx, userId, now);
		}
		notify(
			tx,
			{
				userId,
				kind: 'result',
				title: `成绩已公布：${titled(exam.title)}`,
				body: exam.showReview ? '请查看您的成绩和答卷。' : '请查看您的成绩。',
				href: `/exams/${exam.id}/result`,
				dedupeKey: `exam-released:${exam.id}:${userId}:${newestId}`
			},
			now
		);
	}
	recordAudit(tx, actor, {
		action: 'exam.release',
		...auditScope(exam),
		target: { type: 'exam', id: exam.id },
		summary:
			fresh.length === 0
				? `公布考试${titled(exam.title)}的成绩（没有新的答卷）`
				: `公布考试${titled(exam.title)}的成绩：${newest.size} 人的 ${fresh.length} 份答卷，其中 ${passed} 人及格${actor ? '' : '（到达预定公布时间，自动公布）'}`,
		detail: { attempts: fresh.length, candidates: newest.size, passed, firstTime },
		at: now
	});
	return fresh.length;
}

/**
 * 公布成绩 by an admin of the exam's owner: refused (with nothing written) while the window or
 * any candidate's 补考 window is open, someone is still writing, or 简答 answers are ungraded.
 */
export function releaseResults(
	db: Db,
	actor: AuditActor,
	owner: Owner,
	examId: number,
	now = new Date()
): Saved<{ released: number }> {
	if (!ownedExam(db, owner, examId)) return { ok: false, errors: { _form: EXAM_NOT_FOUND } };
	// Attempts whose time ran out are closed first (as the sweeper would), so they can count.
	finaliseOverdueExams(db, now);
	return db.transaction((tx): Saved<{ released: number }> => {
		const exam = ownedExam(tx, owner, examId)!;
		const refusal = releaseRefusal(tx, exam, now);
		if (refusal) return { ok: false, errors: { _form: refusal } };
		return { ok: true, value: { released: release(tx, exam, actor, now) } };
	});
}

/**
 * Automatic release (the 30 s sweeper): exams whose release time has come, not yet released or
 * with retakes graded since, where the same conditions hold. Returns how many exams it released.
 */
export function releaseDue(db: Db, now = new Date()): number {
	const due = gradingStatements(db).dueForRelease.all({ now: now.getTime() });
	if (due.length === 0) return 0;
	finaliseOverdueExams(db, now);
	let released = 0;
	for (const id of due) {
		const done = db.transaction((tx) => {
			const exam = tx.select().from(exams).where(eq(exams.id, id)).get();
			if (!exam || releaseRefusal(tx, exam, now)) return false;
			release(tx, exam, null, now);
			return true;
		});
		if (done) released++;
	}
	return released;
}
