import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { invalidateSession } from '$lib/server/auth/session';
import { deleteSessionCookie } from '$lib/server/auth/cookie';
import type { Actions, PageServerLoad } from './$types';

// Logging out is a POST (a link could be triggered by a prefetch or a third-party page).
export const load: PageServerLoad = () => redirect(303, '/me');

export const actions: Actions = {
	default: ({ locals, cookies, url }) => {
		if (locals.session) invalidateSession(getDb(), locals.session.id);
		deleteSessionCookie(cookies, url);
		redirect(303, '/login');
	}
};
