import { inArray } from 'drizzle-orm';
import type { Queryable } from '../db';
import { questions } from '../db/schema';
import type { Owner } from '../authoring/owner';
import { shuffle, snapshotOf, type QuestionSnapshot } from '../quiz/questions';
import { matchesRule, ruleOrder, usableBank } from './paper';
import type { DrawRule, PaperDoc } from './types';

/** A sitting's question as drawn: its section, points and snapshot (options shuffled). */
export interface DrawnQuestion {
	section: number;
	questionId: number;
	points: number;
	snapshot: QuestionSnapshot;
}

/** The bank no longer holds enough questions for a rule (a module went offline after the paper was checked). */
export class PaperDrawError extends Error {
	constructor(
		readonly section: number,
		readonly rule: number
	) {
		super(`第${section + 1}部分第${rule + 1}条规则的题库不足，无法抽题`);
	}
}

/**
 * One candidate's paper, drawn at the start of their sitting. Fixed sections: their items in
 * order. Rule sections: for each rule `count` distinct questions at random from the banks the
 * owner may use, never one already in this sitting (rules naming a module are drawn before
 * those drawing from every module); the section's questions are then shuffled. Choice options
 * are always shuffled. Every candidate gets the same sections, counts, types and points.
 * Throws PaperDrawError when a rule cannot be filled.
 */
export function drawPaper(db: Queryable, owner: Owner, doc: PaperDoc): DrawnQuestion[] {
	const fixedIds = doc.sections.flatMap((s) => (s.kind === 'fixed' ? s.items.map((i) => i.questionId) : []));
	const used = new Set(fixedIds);
	const picked = new Map<string, { id: number; points: number }[]>(); // `<section>` → rule picks
	const order = ruleOrder(doc);
	if (order.length) {
		const { pool } = usableBank(db, owner);
		for (const [i, j] of order) {
			const rule = (doc.sections[i] as { rules: DrawRule[] }).rules[j]!;
			const candidates = pool.filter((q) => !used.has(q.id) && matchesRule(q, rule));
			if (candidates.length < rule.count) throw new PaperDrawError(i, j);
			const chosen = shuffle(candidates).slice(0, rule.count);
			for (const q of chosen) used.add(q.id);
			const list = picked.get(String(i)) ?? [];
			list.push(...chosen.map((q) => ({ id: q.id, points: rule.points })));
			picked.set(String(i), list);
		}
	}
	const ids = [...used];
	const rows = new Map(
		(ids.length ? db.select().from(questions).where(inArray(questions.id, ids)).all() : []).map((q) => [
			q.id,
			q
		])
	);
	const out: DrawnQuestion[] = [];
	doc.sections.forEach((s, i) => {
		const list =
			s.kind === 'fixed'
				? s.items.map((item) => ({ id: item.questionId, points: item.points }))
				: shuffle(picked.get(String(i)) ?? []);
		for (const { id, points } of list) {
			const q = rows.get(id);
			if (!q) throw new PaperDrawError(i, 0);
			out.push({ section: i, questionId: id, points, snapshot: snapshotOf(q, true) });
		}
	});
	return out;
}
