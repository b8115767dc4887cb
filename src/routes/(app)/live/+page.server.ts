import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { joinLive } from '$lib/server/live';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const pin = String((await request.formData()).get('pin') ?? '');
		const r = joinLive(getDb(), locals.user!, pin);
		if (!r.ok) return fail(400, { pin, error: r.message });
		redirect(303, `/live/${r.id}`);
	}
};
