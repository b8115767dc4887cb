import { getDb } from '$lib/server/db';
import { REPORT_SEARCH_PAGE, reportContents, searchReport } from '$lib/server/report';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const q = (url.searchParams.get('q') ?? '').trim();
	const page = Number(url.searchParams.get('page')) || 1;
	return {
		contents: reportContents(getDb(), locals.user!),
		search: q ? searchReport(q, page) : null,
		pageSize: REPORT_SEARCH_PAGE
	};
};
