import { getDb } from '$lib/server/db';
import { listCourses } from '$lib/server/courses/courses';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({
	courses: listCourses(getDb(), locals.user!.schoolId),
	schoolId: locals.user!.schoolId,
	isSysadmin: locals.user!.role === 'sysadmin'
});
