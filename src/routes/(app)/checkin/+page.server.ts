import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { checkIn, isCheckinOpen, studySessionsForUser } from '$lib/server/study-sessions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const now = new Date();
	const studySessions = studySessionsForUser(getDb(), locals.user!.officeId, now, 10);
	return {
		open: studySessions.filter((s) => isCheckinOpen(s, now)),
		upcoming: studySessions.filter((s) => s.startsAt.getTime() > now.getTime() && !isCheckinOpen(s, now)),
		// From the QR code on the screen: which session and which code.
		prefill: {
			sessionId: Number(url.searchParams.get('s')) || null,
			code: (url.searchParams.get('c') ?? '').replace(/\D/g, '').slice(0, 6)
		}
	};
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const form = await request.formData();
		const sessionId = Number(form.get('sessionId'));
		const code = String(form.get('code') ?? '');
		const result = checkIn(getDb(), locals.user!, sessionId, code);
		// Every refusal is about the code typed for the session picked: said beside the code.
		if (!result.ok) return refuse(400, { code: result.message }, { sessionId, code });
		return { done: result };
	}
};
