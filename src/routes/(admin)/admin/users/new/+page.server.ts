import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { saveAccount } from '$lib/server/users/accounts';
import { accountFormOptions } from '$lib/server/users/account-options';
import { formFields } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => accountFormOptions(getDb());

export const actions: Actions = {
	default: async (event) => {
		const values = formFields(await event.request.formData());
		const result = await saveAccount(getDb(), actorOf(event), values);
		if (!result.ok) return refuse(400, result.errors, values);
		return {
			created: {
				id: result.id,
				name: values.name ?? '',
				username: values.username?.toLowerCase() ?? '',
				password: result.temporaryPassword ?? ''
			}
		};
	}
};
