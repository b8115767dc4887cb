import { inArray } from 'drizzle-orm';
import type { Queryable } from '../db';
import { questions } from '../db/schema';
import { latestItemStats } from '../exams/analysis';
import type { ItemFlag } from '../exams/types';
import { authoredSlug } from './doc';
import type { Owner } from './owner';

/*
 * Item analysis beside each question of an author's bank (issue #17): the latest released
 * exam's figures for the live question a draft question was published as (the live row's key is
 * `a<draft>/<question key>`, so the figures stay with the question across versions).
 */

/** What the bank page shows of one question's latest analysis. */
export interface BankItemStat {
	examTitle: string;
	/** Share fully correct (objective) or mean score ratio (简答), 0–1. */
	difficulty: number;
	/** Upper 27 % minus lower 27 %; null when too few took it. */
	discrimination: number | null;
	responses: number;
	flags: ItemFlag[];
}

/** Chinese names of the analysis flags, as the bank and the exam's analysis page show them. */
export const ITEM_FLAG_LABELS: Record<ItemFlag, string> = {
	'too-easy': '太容易',
	'too-hard': '太难',
	'not-discriminating': '区分度低'
};

/**
 * Per question key of the draft, the latest analysed exam of the owner that asked it (questions
 * never in a released exam are absent).
 */
export function bankItemStats(
	db: Queryable,
	owner: Owner,
	draftId: number,
	questionKeys: string[]
): Map<string, BankItemStat> {
	const out = new Map<string, BankItemStat>();
	if (questionKeys.length === 0) return out;
	const byLiveKey = new Map(questionKeys.map((key) => [authoredSlug.question(draftId, key), key]));
	const live = db
		.select({ id: questions.id, key: questions.key })
		.from(questions)
		.where(inArray(questions.key, [...byLiveKey.keys()]))
		.all();
	if (live.length === 0) return out;
	const stats = latestItemStats(
		db,
		live.map((q) => q.id),
		owner
	);
	for (const q of live) {
		const stat = stats.get(q.id);
		const key = byLiveKey.get(q.key);
		if (!stat || !key) continue;
		out.set(key, {
			examTitle: stat.examTitle,
			difficulty: stat.difficulty,
			discrimination: stat.discrimination,
			responses: stat.responses,
			flags: stat.flags
		});
	}
	return out;
}
