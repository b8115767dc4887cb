import type { Db, Queryable } from '../db';
import { recordAudit, type AuditActor } from '../audit';
import type { Owner } from '../authoring/owner';
import { listOffices, officeTree, flattenTree } from '../org/offices';
import { notify } from '../notifications';
import { shanghaiDay } from '../time';
import { dateTimeLabel } from '../../format';
import type { ExamDashboard, Saved } from './types';
import { byUser, countedAttempt } from './counted';
import { auditScope, EXAM_NOT_FOUND, ownedExam, titled, type ExamRow } from './owned';
import { gradingStatements, type AttemptRow } from './statements';

// The exam's dashboard (考试情况): participation, the distribution of counted results, the
// per-office comparison rolled up the office tree, the absentees and 催考. Before release the
// figures use graded attempts (the admin sees them; candidates do not); after, released ones.

export type CandidateAttempt = AttemptRow;

/** An active candidate with their window and attempts, and the result that counts. */
export interface CandidateRecord {
	userId: number;
	name: string;
	username: string;
	officeId: number | null;
	officeName: string;
	/** Their window: own (补考) or the exam's. */
	opensAt: Date;
	closesAt: Date;
	attempts: CandidateAttempt[];
	started: boolean;
	submitted: boolean;
	running: boolean;
	/** No submitted attempt and their window has closed (缺考). */
	absent: boolean;
	/** The attempt that counts: among released attempts once the exam has released results, among graded ones before. */
	counted: CandidateAttempt | null;
	leaves: number;
}

/** Every active candidate of the exam (active accounts), in pinyin order. */
export function candidateRecords(db: Queryable, exam: ExamRow, now: Date): CandidateRecord[] {
	const st = gradingStatements(db);
	const people = st.candidates.all({ examId: exam.id });
	const attempts = byUser(st.attempts.all({ examId: exam.id }));
	const released = exam.releasedAt !== null;
	return people.map((p) => {
		const mine = attempts.get(p.userId) ?? [];
		// Their own 补考 window when they have one (both ends), as taking.ts decides it.
		const own = p.opensAt !== null && p.closesAt !== null;
		const closesAt = own ? p.closesAt! : exam.closesAt;
		const submitted = mine.some((a) => a.submittedAt !== null);
		return {
			userId: p.userId,
			name: p.name,
			username: p.username,
			officeId: p.officeId,
			officeName: p.officeName,
			opensAt: own ? p.opensAt! : exam.opensAt,
			closesAt,
			attempts: mine,
			started: mine.length > 0,
			submitted,
			running: mine.some((a) => a.submittedAt === null),
			absent: !submitted && closesAt <= now,
			counted: countedAttempt(mine, exam.counting, { released }),
			leaves: mine.reduce((n, a) => n + a.leaveCount, 0)
		};
	});
}

/** Average (points, one decimal) and pass rate (percent, one decimal) of counted results; null without any. */
export function resultFigures(records: readonly CandidateRecord[]): {
	average: number | null;
	passRate: number | null;
} {
	const counted = records.flatMap((r) => (r.counted ? [r.counted] : []));
	if (counted.length === 0) return { average: null, passRate: null };
	const sum = counted.reduce((n, a) => n + a.score!, 0);
	const passed = counted.filter((a) => a.passed).length;
	return {
		average: Math.round((sum / counted.length) * 10) / 10,
		passRate: Math.round((passed / counted.length) * 1000) / 10
	};
}

/** Ten bins of counted scores as a share of the total (0–10 %, … 90–100 %; full marks in the last). */
export function histogram(records: readonly CandidateRecord[], totalPoints: number) {
	const bins = Array.from({ length: 10 }, (_, i) => ({ label: `${i * 10}–${i * 10 + 10}%`, count: 0 }));
	for (const r of records) {
		if (!r.counted || totalPoints <= 0) continue;
		const bin = Math.min(9, Math.max(0, Math.floor((r.counted.score! / totalPoints) * 10 + 1e-9)));
		bins[bin]!.count++;
	}
	return bins;
}

/**
 * The offices the exam's figures roll up to, in tree order, with each one's candidates (its own
 * and those of the offices below it). An office's exam: its owner office and the offices below
 * it that have candidates; a school's: the offices with candidates and the offices above them.
 */
export function officeRollup(db: Queryable, exam: ExamRow, records: readonly CandidateRecord[]) {
	const all = listOffices(db);
	const parent = new Map(all.map((o) => [o.id, o.parentId]));
	const top = exam.ownerOfficeId;
	const members = new Map<number, CandidateRecord[]>();
	for (const r of records) {
		if (r.officeId === null) continue;
		const chain: number[] = [];
		let at: number | null | undefined = r.officeId;
		let reachedTop = top === null;
		while (at !== null && at !== undefined && !chain.includes(at)) {
			chain.push(at);
			if (at === top) {
				reachedTop = true;
				break;
			}
			at = parent.get(at);
		}
		if (!reachedTop) continue; // moved out of the owner office's tree: in the totals, not in its offices
		for (const id of chain) {
			const list = members.get(id) ?? [];
			list.push(r);
			members.set(id, list);
		}
	}
	if (top !== null && !members.has(top)) members.set(top, []);
	const topDepth = top === null ? 0 : (flattenTree(officeTree(all)).find((o) => o.id === top)?.depth ?? 0);
	return flattenTree(officeTree(all))
		.filter((o) => members.has(o.id))
		.map((o) => ({ office: o, depth: o.depth - topDepth, members: members.get(o.id)! }));
}

/** The dashboard of an exam of this owner (undefined otherwise). */
export function examDashboard(
	db: Queryable,
	owner: Owner,
	examId: number,
	now = new Date()
): ExamDashboard | undefined {
	const exam = ownedExam(db, owner, examId);
	if (!exam) return undefined;
	const records = candidateRecords(db, exam, now);
	return {
		assigned: records.length,
		started: records.filter((r) => r.started).length,
		submitted: records.filter((r) => r.submitted).length,
		absent: records.filter((r) => r.absent).length,
		...resultFigures(records),
		histogram: histogram(records, exam.totalPoints),
		offices: officeRollup(db, exam, records).map(({ office, depth, members }) => ({
			officeId: office.id,
			name: office.name,
			depth,
			assigned: members.length,
			submitted: members.filter((r) => r.submitted).length,
			...resultFigures(members)
		})),
		absentees: records
			.filter((r) => !r.submitted && !r.running && r.opensAt <= now)
			.map((r) => ({
				userId: r.userId,
				name: r.name,
				officeName: r.officeName,
				windowOpen: r.closesAt > now
			})),
		leaveCounts: records
			.filter((r) => r.leaves > 0)
			.map((r) => ({ userId: r.userId, name: r.name, leaves: r.leaves }))
	};
}

/**
 * 催考: a notice to every candidate who has not submitted and whose window is open now (not
 * while they are writing); nobody twice about the same exam on the same Shanghai day.
 */
export function remindAbsentees(
	db: Db,
	actor: AuditActor,
	owner: Owner,
	examId: number,
	now = new Date()
): Saved<{ reminded: number }> {
	const found = ownedExam(db, owner, examId);
	if (!found) return { ok: false, errors: { _form: EXAM_NOT_FOUND } };
	if (found.cancelledAt) return { ok: false, errors: { _form: '这场考试已取消，不能催考' } };
	const day = shanghaiDay(now);
	return db.transaction((tx): Saved<{ reminded: number }> => {
		const exam = ownedExam(tx, owner, examId)!;
		const due = candidateRecords(tx, exam, now).filter(
			(r) => !r.submitted && !r.running && r.opensAt <= now && now < r.closesAt
		);
		let reminded = 0;
		for (const r of due) {
			const isNew = notify(
				tx,
				{
					userId: r.userId,
					kind: 'remind',
					title: `请按时参加考试：${titled(exam.title)}`,
					body: `考试将于 ${dateTimeLabel(r.closesAt)} 截止，请尽快作答。`,
					href: `/exams/${exam.id}`,
					dedupeKey: `exam-remind:${exam.id}:${r.userId}:${day}`
				},
				now
			);
			if (isNew) reminded++;
		}
		const skipped = due.length - reminded;
		recordAudit(tx, actor, {
			action: 'exam.remind',
			...auditScope(exam),
			target: { type: 'exam', id: exam.id },
			summary: `催考${titled(exam.title)}：向 ${reminded} 人发送提醒${skipped ? `（${skipped} 人今天已提醒过）` : ''}`,
			detail: { reminded, skipped },
			at: now
		});
		return { ok: true, value: { reminded } };
	});
}
