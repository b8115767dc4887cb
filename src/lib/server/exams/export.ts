import type { Queryable } from '../db';
import type { Owner } from '../authoring/owner';
import { descendantIds, getOffice, listOffices } from '../org/offices';
import { exportHeading, xlsxStream, type Sheet } from '../participation/export';
import { dateTimeLabel } from '../../format';
import type { PaperDoc } from './types';
import {
	candidateRecords,
	officeRollup,
	resultFigures,
	type CandidateAttempt,
	type CandidateRecord
} from './dashboard';
import { ownedExam, ownerName, titled, type ExamRow } from './owned';
import { gradingStatements } from './statements';

// 成绩单: the .xlsx with every candidate (one row each: the attempt that counts, its score per
// question, total, pass, times they left the page; 缺考 for absentees), and the printable one
// per office. Cells go through xlsxStream, which makes every one inert against formula injection.

/** The attempt a 成绩单 row shows: the one that counts, else the latest submitted (awaiting grading). */
function shownAttempt(r: CandidateRecord): CandidateAttempt | null {
	if (r.counted) return r.counted;
	const submitted = r.attempts.filter((a) => a.submittedAt !== null);
	return submitted.at(-1) ?? null;
}

/** What a row says in place of a result. */
export function resultLabel(r: CandidateRecord, now: Date): string {
	const a = shownAttempt(r);
	if (a?.score !== null && a?.score !== undefined && a.gradedAt) return a.passed ? '及格' : '不及格';
	if (a) return '待评分';
	if (r.running) return '正在作答';
	if (r.absent) return '缺考';
	return r.opensAt > now ? '未开始' : '未交卷';
}

export interface ResultRow {
	name: string;
	username: string;
	officeName: string;
	code: string;
	submittedAt: Date | null;
	/** Per position of the paper: the score, or null (not scored yet, or no attempt). */
	scores: (number | null)[];
	total: number | null;
	passed: boolean | null;
	/** 及格 / 不及格 / 待评分 / 缺考 / 未交卷 / 正在作答 / 未开始. */
	result: string;
	leaves: number;
}

/** How many questions every candidate's paper has (fixed items and drawn ones). */
export function questionCount(exam: ExamRow): number {
	const doc = JSON.parse(exam.paperDoc) as PaperDoc;
	return doc.sections.reduce(
		(n, s) => n + (s.kind === 'fixed' ? s.items.length : s.rules.reduce((m, r) => m + r.count, 0)),
		0
	);
}

/** The exam's candidates as 成绩单 rows (by office in tree order, then pinyin), optionally only some offices. */
export function resultRows(
	db: Queryable,
	exam: ExamRow,
	now: Date,
	officeIds?: readonly number[]
): ResultRow[] {
	const order = new Map(listOffices(db).map((o, i) => [o.id, i]));
	const only = officeIds ? new Set(officeIds) : null;
	const records = candidateRecords(db, exam, now)
		.filter((r) => !only || (r.officeId !== null && only.has(r.officeId)))
		.map((r, i) => ({ r, i }))
		.sort(
			(a, b) =>
				(order.get(a.r.officeId ?? -1) ?? Infinity) - (order.get(b.r.officeId ?? -1) ?? Infinity) || a.i - b.i
		)
		.map(({ r }) => r);
	const n = questionCount(exam);
	const shown = records.map(shownAttempt);
	const scores = new Map<number, (number | null)[]>();
	const ids = shown.flatMap((a) => (a ? [a.id] : []));
	if (ids.length > 0)
		for (const [attemptId, position, score] of gradingStatements(db).itemScores.all(JSON.stringify(ids))) {
			const list = scores.get(attemptId) ?? Array.from({ length: n }, () => null);
			list[position - 1] = score; // positions count from 1
			scores.set(attemptId, list);
		}
	return records.map((r, i) => {
		const a = shown[i]!;
		const graded = !!a?.gradedAt && a.score !== null;
		return {
			name: r.name,
			username: r.username,
			officeName: r.officeName,
			code: a?.code ?? '',
			submittedAt: a?.submittedAt ?? null,
			scores: a
				? (scores.get(a.id) ?? Array.from({ length: n }, () => null))
				: Array.from({ length: n }, () => null),
			total: graded ? a.score : null,
			passed: graded ? !!a.passed : null,
			result: resultLabel(r, now),
			leaves: r.leaves
		};
	});
}

function sheetOf(exam: ExamRow, rows: ResultRow[], preamble: string[]): Sheet<ResultRow> {
	const n = questionCount(exam);
	return {
		name: '成绩单',
		preamble,
		columns: [
			{ header: '姓名', width: 12, value: (r) => r.name },
			{ header: '账号', width: 16, value: (r) => r.username },
			{ header: '单位', width: 22, value: (r) => r.officeName },
			{ header: '答卷编号', width: 12, value: (r) => r.code },
			{ header: '交卷时间', width: 20, value: (r) => (r.submittedAt ? dateTimeLabel(r.submittedAt) : '') },
			...Array.from({ length: n }, (_, i) => ({
				header: `第${i + 1}题`,
				width: 7,
				value: (r: ResultRow) => r.scores[i] ?? ''
			})),
			{
				header: '总分',
				width: 8,
				value: (r) =>
					r.total !== null ? r.total : r.result === '待评分' || r.result === '缺考' ? r.result : ''
			},
			{ header: '是否及格', width: 10, value: (r) => r.result },
			{ header: '离开页面次数', width: 12, value: (r) => r.leaves }
		],
		pages: function* () {
			for (let i = 0; i < rows.length; i += 500) yield rows.slice(i, i + 500);
		}
	};
}

/** The 成绩单 of an exam of this owner as a sheet, with its file name (undefined otherwise). */
export function resultsExport(
	db: Queryable,
	owner: Owner,
	examId: number,
	now = new Date()
): { sheet: Sheet<ResultRow>; fileName: string } | undefined {
	const exam = ownedExam(db, owner, examId);
	if (!exam) return undefined;
	const heading = exportHeading(
		{
			title: `考试${titled(exam.title)}成绩单`,
			office: ownerName(db, owner),
			lines: [
				`考试时间：${dateTimeLabel(exam.opensAt)} 至 ${dateTimeLabel(exam.closesAt)}（北京时间）`,
				`总分 ${exam.totalPoints} 分，及格 ${exam.passMark} 分；${exam.releasedAt ? `成绩已于 ${dateTimeLabel(exam.releasedAt)} 公布` : '成绩尚未公布（仅供管理员查看）'}`
			]
		},
		now
	);
	return { sheet: sheetOf(exam, resultRows(db, exam, now), heading.preamble), fileName: heading.fileName };
}

/** The 成绩单 .xlsx of an exam of this owner (undefined otherwise); `resultsExport` also gives its file name. */
export function resultsSheet(
	db: Queryable,
	owner: Owner,
	examId: number,
	now = new Date()
): ReadableStream<Uint8Array> | undefined {
	const made = resultsExport(db, owner, examId, now);
	return made ? xlsxStream(made.sheet) : undefined;
}

export interface PrintableResults {
	exam: {
		id: number;
		title: string;
		ownerName: string;
		opensAt: Date;
		closesAt: Date;
		totalPoints: number;
		passMark: number;
		releasedAt: Date | null;
		questionCount: number;
	};
	office: { id: number; name: string };
	/** The office's candidates and those of the offices below it (by office, then pinyin). */
	rows: ResultRow[];
	summary: {
		assigned: number;
		submitted: number;
		absent: number;
		average: number | null;
		passRate: number | null;
	};
	printedAt: Date;
}

/**
 * The printable 成绩单 of one office (the offices of the exam's roll-up only: another office is
 * out of scope, as is an exam of another owner): undefined when out of scope.
 */
export function printableResults(
	db: Queryable,
	owner: Owner,
	examId: number,
	officeId: number,
	now = new Date()
): PrintableResults | undefined {
	const exam = ownedExam(db, owner, examId);
	if (!exam) return undefined;
	const records = candidateRecords(db, exam, now);
	const rollup = officeRollup(db, exam, records).find((o) => o.office.id === officeId);
	const office = getOffice(db, officeId);
	if (!rollup || !office) return undefined;
	const members = rollup.members;
	return {
		exam: {
			id: exam.id,
			title: exam.title,
			ownerName: ownerName(db, owner),
			opensAt: exam.opensAt,
			closesAt: exam.closesAt,
			totalPoints: exam.totalPoints,
			passMark: exam.passMark,
			releasedAt: exam.releasedAt,
			questionCount: questionCount(exam)
		},
		office: { id: office.id, name: office.name },
		rows: resultRows(db, exam, now, descendantIds(db, officeId)),
		summary: {
			assigned: members.length,
			submitted: members.filter((r) => r.submitted).length,
			absent: members.filter((r) => r.absent).length,
			...resultFigures(members)
		},
		printedAt: now
	};
}
