// 宣讲: the ranges of days the outreach figures count — the quick ranges (本月, 上月, 本季度,
// 本年), the dashboard's periods, and a range read from the query string. Shanghai calendar.
import { mondayOf, type PeriodKind } from '../points/periods';
import { shanghaiDay } from '../time';
import { addDays } from '../../format';
import { OUTREACH_LIMITS } from '../../outreach';

export interface DayRange {
	/** First day, YYYY-MM-DD (Shanghai), inclusive. */
	from: string;
	/** Last day, inclusive. */
	to: string;
}

/** The quick ranges of the outreach pages. */
export const QUICK_RANGES = ['month', 'lastMonth', 'quarter', 'year'] as const;
export type QuickRange = (typeof QUICK_RANGES)[number];
export const QUICK_RANGE_LABELS: Record<QuickRange, string> = {
	month: '本月',
	lastMonth: '上月',
	quarter: '本季度',
	year: '本年'
};

/** A range longer than this many years is refused (to the default): nobody reports on more. */
const MAX_RANGE_YEARS = 3;

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The last day of a month (month 1–12). */
function monthEnd(year: number, month: number): string {
	return addDays(`${month === 12 ? year + 1 : year}-${pad2(month === 12 ? 1 : month + 1)}-01`, -1);
}

/** A quick range at `now` (Shanghai calendar). */
export function quickRange(kind: QuickRange, now = new Date()): DayRange {
	const today = shanghaiDay(now);
	const year = Number(today.slice(0, 4));
	const month = Number(today.slice(5, 7));
	switch (kind) {
		case 'month':
			return { from: `${today.slice(0, 7)}-01`, to: monthEnd(year, month) };
		case 'lastMonth': {
			const y = month === 1 ? year - 1 : year;
			const m = month === 1 ? 12 : month - 1;
			return { from: `${y}-${pad2(m)}-01`, to: monthEnd(y, m) };
		}
		case 'quarter': {
			const first = Math.floor((month - 1) / 3) * 3 + 1;
			return { from: `${year}-${pad2(first)}-01`, to: monthEnd(year, first + 2) };
		}
		case 'year':
			return { from: `${year}-01-01`, to: `${year}-12-31` };
	}
}

/**
 * The days of a dashboard period (points/periods.ts): this week (Monday to Sunday), this month,
 * this year, or all (every talk: from the first day a talk may have on).
 */
export function periodRange(kind: PeriodKind, now = new Date()): DayRange {
	const today = shanghaiDay(now);
	switch (kind) {
		case 'week': {
			const monday = mondayOf(today);
			return { from: monday, to: addDays(monday, 6) };
		}
		case 'month':
			return quickRange('month', now);
		case 'year':
			return quickRange('year', now);
		case 'all':
			return { from: OUTREACH_LIMITS.earliestDay, to: '9999-12-31' };
	}
}

/** A real calendar day written YYYY-MM-DD (not 2026-02-30, not 0099-01-01). */
export function validDay(value: string | null | undefined): value is string {
	if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value) || value < '1900-01-01') return false;
	return addDays(value, 0) === value;
}

/**
 * The range of the outreach pages from the query string: `range=` one of the quick ranges, or
 * `from=`/`to=` days. Anything else — a missing or impossible day, from after to, more than three
 * years — is this month, never an error. `quick` names the quick range the result is, if any.
 */
export function rangeParams(
	params: URLSearchParams,
	now = new Date()
): DayRange & { quick: QuickRange | null } {
	const named = QUICK_RANGES.find((k) => k === params.get('range'));
	let range: DayRange = quickRange(named ?? 'month', now);
	if (!named) {
		const from = params.get('from')?.trim();
		const to = params.get('to')?.trim();
		if (validDay(from) && validDay(to) && from <= to) {
			const limit = `${Number(from.slice(0, 4)) + MAX_RANGE_YEARS}${from.slice(4)}`;
			if (to < limit) range = { from, to };
		}
	}
	const quick = QUICK_RANGES.find((k) => {
		const q = quickRange(k, now);
		return q.from === range.from && q.to === range.to;
	});
	return { ...range, quick: quick ?? null };
}
