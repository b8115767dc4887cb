import { getDb } from '$lib/server/db';
import { officeReflections } from '$lib/server/reflections';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({
	reflections: officeReflections(getDb(), locals.user!)
});
