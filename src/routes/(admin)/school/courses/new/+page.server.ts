import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { actorOf } from '$lib/server/audit';
import { saveCourse } from '$lib/server/courses/courses';
import { courseInputFrom, moduleOptions } from '$lib/server/courses/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ modules: moduleOptions(getDb()) });

export const actions: Actions = {
	default: async (event) => {
		const values = courseInputFrom(await event.request.formData());
		const result = saveCourse(getDb(), actorOf(event), values);
		if (!result.ok) return fail(400, { values, errors: result.errors });
		redirect(303, `/school/courses/${result.id}?created=1`);
	}
};
