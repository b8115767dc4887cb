import { getDb } from '$lib/server/db';
import { cleanQuery, search } from '$lib/server/content/search';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url, locals }) => {
	const q = cleanQuery(url.searchParams.get('q') ?? '');
	return { q, results: q ? search(getDb(), locals.user!, q) : [] };
};
