import type { ExamCounting } from '../db/schema';

// Which attempt counts for a candidate (an exam setting): the highest score (the earlier of
// equal ones), the last or the first, among their graded attempts: released ones only
// wherever a candidate's result is concerned (results, 学时, courses, item analysis), and
// all graded ones on the admin's dashboard before release.

export interface CountableAttempt {
	id: number;
	number: number;
	score: number | null;
	gradedAt: Date | number | null;
	releasedAt: Date | number | null;
}

/** The attempt that counts, or null when none qualifies. `released: false` also counts unreleased graded attempts. */
export function countedAttempt<T extends CountableAttempt>(
	attempts: readonly T[],
	counting: ExamCounting,
	opts: { released?: boolean } = {}
): T | null {
	const released = opts.released ?? true;
	let best: T | null = null;
	for (const a of attempts) {
		if (a.gradedAt === null || a.score === null || (released && a.releasedAt === null)) continue;
		if (
			!best ||
			(counting === 'highest' &&
				(a.score > best.score! || (a.score === best.score && a.number < best.number))) ||
			(counting === 'last' && a.number > best.number) ||
			(counting === 'first' && a.number < best.number)
		)
			best = a;
	}
	return best;
}

/** Attempts grouped by candidate. */
export function byUser<T extends { userId: number }>(rows: readonly T[]): Map<number, T[]> {
	const out = new Map<number, T[]>();
	for (const row of rows) {
		const list = out.get(row.userId);
		if (list) list.push(row);
		else out.set(row.userId, [row]);
	}
	return out;
}
