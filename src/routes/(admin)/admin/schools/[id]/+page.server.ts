import { error, fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getSchool, saveSchool } from '$lib/server/org/schools';
import { formFields } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	const school = getSchool(getDb(), Number(params.id));
	if (!school) error(404, { message: '党校不存在' });
	return { school };
};

export const actions: Actions = {
	default: async ({ request, params }) => {
		const values = formFields(await request.formData());
		const result = saveSchool(getDb(), values, Number(params.id));
		if (!result.ok) return fail(400, { values, errors: result.errors });
		return { notice: '已保存' };
	}
};
