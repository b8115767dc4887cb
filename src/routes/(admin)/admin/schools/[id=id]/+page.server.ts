import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { getSchool, saveSchool } from '$lib/server/org/schools';
import { formFields } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	const school = getSchool(getDb(), Number(params.id));
	if (!school) error(404, { message: '没有找到这所党校' });
	return { school };
};

export const actions: Actions = {
	default: async (event) => {
		const values = formFields(await event.request.formData());
		const result = saveSchool(getDb(), actorOf(event), values, Number(event.params.id));
		if (!result.ok) return refuse(400, result.errors, values);
		return { notice: '已保存' };
	}
};
