import { fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { checkIn, isCheckinOpen, sessionsForUser } from '$lib/server/meetings/sessions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const now = new Date();
	const sessions = sessionsForUser(getDb(), locals.user!.officeId, now, 10);
	return {
		open: sessions.filter((s) => isCheckinOpen(s, now)),
		upcoming: sessions.filter((s) => s.startsAt.getTime() > now.getTime() && !isCheckinOpen(s, now)),
		// From the QR code on the screen: which session and which code.
		prefill: { sessionId: Number(url.searchParams.get('s')) || null, code: (url.searchParams.get('c') ?? '').replace(/\D/g, '').slice(0, 6) }
	};
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const form = await request.formData();
		const sessionId = Number(form.get('sessionId'));
		const code = String(form.get('code') ?? '');
		const result = checkIn(getDb(), locals.user!, sessionId, code);
		if (!result.ok) return fail(400, { sessionId, code, error: result.message });
		return { done: result };
	}
};
