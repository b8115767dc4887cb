import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { courseModuleOptions, saveCourse } from '$lib/server/courses/courses';
import { courseInputFrom } from '$lib/server/courses/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({
	modules: courseModuleOptions(getDb(), locals.user!.schoolId)
});

export const actions: Actions = {
	default: async (event) => {
		const values = courseInputFrom(await event.request.formData());
		const result = saveCourse(getDb(), actorOf(event), values);
		if (!result.ok) return refuse(400, result.errors, values);
		redirect(303, `/school/courses/${result.id}?created=1`);
	}
};
