import { getDb } from '$lib/server/db';
import { search, MAX_QUERY_LENGTH } from '$lib/server/content/search';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => {
	const q = (url.searchParams.get('q') ?? '').trim().slice(0, MAX_QUERY_LENGTH);
	return { q, results: q ? search(getDb(), q) : [] };
};
