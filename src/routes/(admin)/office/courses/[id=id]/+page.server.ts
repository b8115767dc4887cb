import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { managedOfficeIds } from '$lib/server/org/offices';
import { courseMembers } from '$lib/server/courses/dashboard';
import { getCourse } from '$lib/server/courses/courses';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => {
	const db = getDb();
	const course = getCourse(db, Number(params.id));
	if (!course) error(404, { message: '没有找到这个专题班' });
	const members = courseMembers(db, course.id, managedOfficeIds(db, locals.user!));
	return {
		course: { id: course.id, title: course.title, dueOn: course.dueOn },
		behind: members.filter((m) => m.status !== 'done'),
		total: members.length
	};
};
