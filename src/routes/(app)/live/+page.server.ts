import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { joinLive } from '$lib/server/live';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const pin = String((await request.formData()).get('pin') ?? '');
		const joined = joinLive(getDb(), locals.user!, pin);
		if (!joined.ok) return refuse(400, { pin: joined.message }, { pin });
		redirect(303, `/live/${joined.id}`);
	}
};
