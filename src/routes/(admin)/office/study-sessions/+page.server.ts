import { getDb } from '$lib/server/db';
import { managedOfficeIds } from '$lib/server/org/offices';
import { officeStudySessions } from '$lib/server/study-sessions';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const db = getDb();
	return {
		studySessions: officeStudySessions(db, managedOfficeIds(db, locals.user!)),
		now: Date.now(),
		canSchedule: !!locals.user!.officeId
	};
};
