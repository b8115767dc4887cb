import { getDb } from '$lib/server/db';
import { getOffice } from '$lib/server/org/offices';
import { getSchool } from '$lib/server/org/schools';
import { greeting } from '$lib/server/time';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const user = locals.user!;
	const db = getDb();
	const office = user.officeId ? getOffice(db, user.officeId) : undefined;
	const school = user.schoolId ? getSchool(db, user.schoolId) : undefined;
	return {
		greeting: greeting(new Date()),
		orgName: office?.name ?? school?.name ?? null,
		role: user.role
	};
};
