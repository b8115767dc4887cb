import { fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
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
		if (!result.ok) return fail(400, { errors: result.errors });
		return { done: true };
	}
};
