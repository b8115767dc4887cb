import { getDb } from '$lib/server/db';
import { managedOfficeIds } from '$lib/server/org/offices';
import { officeSessions } from '$lib/server/meetings/sessions';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const db = getDb();
	return { sessions: officeSessions(db, managedOfficeIds(db, locals.user!)), now: Date.now(), canSchedule: !!locals.user!.officeId };
};
