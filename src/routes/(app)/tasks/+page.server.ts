import { getDb } from '$lib/server/db';
import { taskCards, yearHours } from '$lib/server/courses/views';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const db = getDb();
	const user = locals.user!;
	const now = new Date();
	return {
		tasks: taskCards(db, user.id, now),
		yearHours: yearHours(db, user.id, now)
	};
};
