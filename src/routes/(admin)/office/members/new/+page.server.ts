import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { createMember, defaultOfficeId } from '$lib/server/users/members';
import { managedOfficeOptions } from '$lib/server/org/scope';
import { formFields } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({
	offices: managedOfficeOptions(getDb(), locals.user!),
	defaultOfficeId: defaultOfficeId(getDb(), locals.user!)
});

export const actions: Actions = {
	default: async (event) => {
		const values = formFields(await event.request.formData());
		const result = await createMember(getDb(), actorOf(event), values);
		if (!result.ok) return refuse(400, result.errors, values);
		return {
			created: { name: values.name ?? '', username: result.username, password: result.temporaryPassword }
		};
	}
};
