import { eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { exams, type QuestionType } from '../db/schema';
import type { Owner } from '../authoring/owner';
import type { QuestionSnapshot } from '../quiz/questions';
import type { ItemFlag, ItemStat } from './types';
import { byUser, countedAttempt } from './counted';
import { ownedExam, type ExamRow } from './owned';
import { gradingStatements, type StatRow } from './statements';

// Item analysis (题目分析), computed on each release over every candidate's counted attempt
// and stored in exam_item_stats: per question, difficulty p (share fully right; for 简答 the
// mean score over its points), discrimination D = p of the top 27 % by counted total minus p
// of the bottom 27 % (group size max(1, round(0.27 n)); none below 4 responses), how often
// each option was chosen, and flags. The whole exam is read in three set-based queries.

export const TOO_EASY = 0.95;
export const TOO_HARD = 0.2;
export const NOT_DISCRIMINATING = 0.1;

/** The flags of a difficulty and discrimination. */
export function itemFlags(difficulty: number, discrimination: number | null): ItemFlag[] {
	const flags: ItemFlag[] = [];
	if (difficulty > TOO_EASY) flags.push('too-easy');
	if (difficulty < TOO_HARD) flags.push('too-hard');
	if (discrimination !== null && discrimination <= NOT_DISCRIMINATING) flags.push('not-discriminating');
	return flags;
}

/** Each candidate's counted attempt (released and graded) of an exam: attempt id → total score. */
export function countedTotals(db: Queryable, exam: ExamRow): Map<number, number> {
	const totals = new Map<number, number>();
	for (const attempts of byUser(gradingStatements(db).gradedAttempts.all({ examId: exam.id })).values()) {
		const counted = countedAttempt(attempts, exam.counting);
		if (counted) totals.set(counted.id, counted.score);
	}
	return totals;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

interface ItemResponse {
	attemptId: number;
	/** 1/0 for an objective item (fully right or not); score/points for 简答. */
	value: number;
}

/** p and D of one question from its responses and the counted totals of their attempts. */
export function difficultyAndDiscrimination(
	responses: readonly ItemResponse[],
	totals: ReadonlyMap<number, number>
): { difficulty: number; discrimination: number | null } {
	const n = responses.length;
	const difficulty = n ? mean(responses.map((r) => r.value)) : 0;
	if (n < 4) return { difficulty, discrimination: null };
	const ranked = [...responses].sort(
		(a, b) => totals.get(b.attemptId)! - totals.get(a.attemptId)! || a.attemptId - b.attemptId
	);
	const size = Math.max(1, Math.round(0.27 * n));
	const upper = mean(ranked.slice(0, size).map((r) => r.value));
	const lower = mean(ranked.slice(n - size).map((r) => r.value));
	return { difficulty, discrimination: upper - lower };
}

/**
 * Recomputes the exam's item analysis from its counted attempts and replaces its rows in
 * exam_item_stats (call inside the release transaction). Returns the questions analysed.
 */
export function computeItemAnalysis(tx: Queryable, examId: number, now: Date): number {
	const st = gradingStatements(tx);
	const exam = tx.select().from(exams).where(eq(exams.id, examId)).get();
	st.clearStats.run({ examId });
	if (!exam) return 0;
	const totals = countedTotals(tx, exam);
	if (totals.size === 0) return 0;
	const ids = JSON.stringify([...totals.keys()]);
	// Every item of every counted attempt, as plain arrays: [attempt, position, question, points, score, correct].
	const items = st.countedItems.all(ids);
	const byQuestion = new Map<number, { first: [number, number]; rows: typeof items }>();
	for (const row of items) {
		const q = byQuestion.get(row[2]);
		if (q) q.rows.push(row);
		else byQuestion.set(row[2], { first: [row[0], row[1]], rows: [row] });
	}
	const meta = new Map<number, { type: QuestionType; options: string[] }>();
	for (const [questionId, q] of byQuestion) {
		const [attemptId, position] = q.first;
		const s = JSON.parse(st.itemAt.get({ attemptId, position })!.snapshot) as QuestionSnapshot;
		meta.set(questionId, { type: s.type, options: s.options });
	}
	const choice = [...meta].filter(([, m]) => m.type === 'single' || m.type === 'multiple').map(([id]) => id);
	const optionCounts = new Map<number, Record<string, number>>();
	for (const id of choice)
		optionCounts.set(id, Object.fromEntries(meta.get(id)!.options.map((o) => [o, 0] as [string, number])));
	if (choice.length > 0) {
		// Grouped by the snapshot as stored (options in the order that candidate saw) and the
		// response: a few thousand groups to parse rather than every answer.
		const groups = st.chosenOptions.all(ids, JSON.stringify(choice));
		const parsed = new Map<string, string[]>();
		for (const [questionId, snapshot, response, n] of groups) {
			let options = parsed.get(snapshot);
			if (!options) parsed.set(snapshot, (options = (JSON.parse(snapshot) as QuestionSnapshot).options));
			const chosen = JSON.parse(response) as number | number[];
			const record = optionCounts.get(questionId)!;
			for (const index of Array.isArray(chosen) ? chosen : [chosen]) {
				const text = options[index];
				if (text !== undefined) record[text] = (record[text] ?? 0) + n;
			}
		}
	}
	for (const [questionId, q] of byQuestion) {
		const essay = meta.get(questionId)!.type === 'essay';
		const responses = q.rows.map(([attemptId, , , points, score, correct]) => ({
			attemptId,
			value: essay ? (points > 0 ? (score ?? 0) / points : 0) : correct ? 1 : 0
		}));
		const { difficulty, discrimination } = difficultyAndDiscrimination(responses, totals);
		st.insertStat.run({
			examId,
			questionId,
			responses: responses.length,
			difficulty,
			discrimination,
			optionCounts: JSON.stringify(optionCounts.get(questionId) ?? {}),
			flags: JSON.stringify(itemFlags(difficulty, discrimination)),
			computedAt: now.getTime()
		});
	}
	return byQuestion.size;
}

const statOf = (r: StatRow): ItemStat => ({
	questionId: r.questionId,
	stem: r.stem,
	type: r.type,
	moduleTitle: r.moduleTitle,
	responses: r.responses,
	difficulty: r.difficulty,
	discrimination: r.discrimination,
	optionCounts: JSON.parse(r.optionCounts) as Record<string, number>,
	flags: JSON.parse(r.flags) as ItemFlag[]
});

/**
 * The exam's item analysis (empty until results are released), in paper order (by where each
 * question first stood), or undefined when the exam is not this owner's.
 */
export function itemAnalysis(db: Queryable, owner: Owner, examId: number): ItemStat[] | undefined {
	const exam = ownedExam(db, owner, examId);
	if (!exam) return undefined;
	const st = gradingStatements(db);
	const stats = st.examStats.all({ examId });
	if (stats.length === 0) return [];
	const order = new Map(
		st.questionOrder.all({ examId }).map((r) => [r.question_id, r.section * 100_000 + r.position])
	);
	return stats
		.sort(
			(a, b) => (order.get(a.questionId) ?? 0) - (order.get(b.questionId) ?? 0) || a.questionId - b.questionId
		)
		.map(statOf);
}

/**
 * For the question bank: each question's analysis from the latest exam (by release) that used
 * it, with that exam's title. Cancelled exams are left out; `owner` limits it to that owner's exams.
 */
export function latestItemStats(
	db: Queryable,
	questionIds: number[],
	owner?: Owner
): Map<number, ItemStat & { examTitle: string; examId: number }> {
	const out = new Map<number, ItemStat & { examTitle: string; examId: number }>();
	if (questionIds.length === 0) return out;
	const rows = gradingStatements(db).latestStats.all({
		ids: JSON.stringify(questionIds),
		school: owner?.kind === 'school' ? owner.schoolId : null,
		office: owner?.kind === 'office' ? owner.officeId : null
	});
	for (const r of rows)
		if (!out.has(r.questionId))
			out.set(r.questionId, { ...statOf(r), examTitle: r.examTitle, examId: r.examId });
	return out;
}
