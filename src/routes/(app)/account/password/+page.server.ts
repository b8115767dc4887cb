import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { changePassword } from '$lib/server/auth/account';
import { PASSWORD_MIN_LENGTH } from '$lib/server/auth/password';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({
	required: locals.user!.mustChangePassword,
	minLength: PASSWORD_MIN_LENGTH
});

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const form = await request.formData();
		const input = {
			current: String(form.get('current') ?? ''),
			next: String(form.get('next') ?? ''),
			confirm: String(form.get('confirm') ?? '')
		};
		const result = await changePassword(getDb(), locals.user!.id, locals.session!.id, input);
		// Passwords are never sent back to fill the form in again.
		if (!result.ok) return refuse(400, result.errors);
		return { done: true };
	}
};
