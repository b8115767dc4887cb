import { getDb } from '$lib/server/db';
import { history } from '$lib/server/quiz/attempts';
import type { PageServerLoad } from './$types';
import { pageParam } from '$lib/server/paging';

const PAGE_SIZE = 20;

export const load: PageServerLoad = ({ locals, url }) => {
	const page = pageParam(url.searchParams);
	const { rows, total } = history(getDb(), locals.user!.id, page, PAGE_SIZE);
	return { rows, total, page, pageSize: PAGE_SIZE };
};
