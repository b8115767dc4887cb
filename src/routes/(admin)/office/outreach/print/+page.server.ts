import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { outreachReport, rangeLabel } from '$lib/server/outreach';
import { dateTimeLabel } from '$lib/format';
import type { PageServerLoad } from './$types';

/** More talks than this make no printed summary anyone reads; the export has them all. */
const PRINT_LIMIT = 300;

/** The printable A4 summary of an office's 宣讲 in a range: totals, the offices, then each talk with its photos. */
export const load: PageServerLoad = ({ locals, url }) => {
	const report = outreachReport(getDb(), locals.user!, url.searchParams);
	if (!report) error(404, { message: '没有找到这个单位，或不在您的管理范围内' });
	const talks = report.talks(PRINT_LIMIT + 1);
	return {
		office: report.office,
		range: { from: report.range.from, to: report.range.to, label: rangeLabel(report.range) },
		total: report.rollUp.total,
		rows: report.rollUp.rows,
		talks: talks.slice(0, PRINT_LIMIT),
		more: talks.length > PRINT_LIMIT,
		limit: PRINT_LIMIT,
		printedAt: dateTimeLabel(new Date())
	};
};
