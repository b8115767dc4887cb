import { getDb } from '$lib/server/db';
import { getOffice } from '$lib/server/org/offices';
import { getSchool } from '$lib/server/org/schools';
import { ROLE_LABELS } from '$lib/server/access';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const user = locals.user!;
	const db = getDb();
	return {
		roleLabel: ROLE_LABELS[user.role],
		officeName: user.officeId ? (getOffice(db, user.officeId)?.name ?? null) : null,
		schoolName: user.schoolId ? (getSchool(db, user.schoolId)?.name ?? null) : null
	};
};
