import { getDb } from '$lib/server/db';
import { catalogPage } from '$lib/server/learning/catalog';
import { reportProgress } from '$lib/server/report';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const db = getDb();
	return {
		...catalogPage(db, locals.user!, {
			theme: url.searchParams.get('theme'),
			owner: url.searchParams.get('owner')
		}),
		report: reportProgress(db, locals.user!.id)
	};
};
