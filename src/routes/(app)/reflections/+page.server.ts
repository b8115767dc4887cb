import { getDb } from '$lib/server/db';
import { excellentInOffice, myReflections } from '$lib/server/reflections';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const db = getDb();
	return {
		mine: myReflections(db, locals.user!.id),
		excellent: excellentInOffice(db, locals.user!.officeId)
	};
};
