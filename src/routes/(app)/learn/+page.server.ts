import { getDb } from '$lib/server/db';
import { catalogPage } from '$lib/server/learning/catalog';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) =>
	catalogPage(getDb(), locals.user!, {
		theme: url.searchParams.get('theme'),
		owner: url.searchParams.get('owner')
	});
