import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { listSchools, saveSchool } from '$lib/server/org/schools';
import { formFields } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ schools: listSchools(getDb()) });

export const actions: Actions = {
	default: async (event) => {
		const values = formFields(await event.request.formData());
		const result = saveSchool(getDb(), actorOf(event), values);
		if (!result.ok) return refuse(400, result.errors, values);
		return { notice: `已创建党校“${values.name}”` };
	}
};
