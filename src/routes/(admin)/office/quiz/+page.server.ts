import { getDb } from '$lib/server/db';
import { managedOfficeIds } from '$lib/server/org/offices';
import { fastAttempts, hardPoints } from '$lib/server/quiz/overview';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const db = getDb();
	const scope = managedOfficeIds(db, locals.user!);
	return { hard: hardPoints(db, scope), fast: fastAttempts(db, scope) };
};
