import { redirect } from '@sveltejs/kit';
import { refuse } from '$lib/server/forms';
import { getDb } from '$lib/server/db';
import { actorOf } from '$lib/server/audit';
import { invitableOfficeOptions, scheduleStudySession } from '$lib/server/study-sessions';
import { moduleOptions } from '$lib/server/learning/catalog';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const db = getDb();
	return {
		// What the office's members may study (the server refuses any other module).
		modules: moduleOptions(db, { kind: 'office', officeId: locals.user!.officeId }),
		// Only offices below the admin's own can be invited (the server refuses any other).
		offices: invitableOfficeOptions(db, locals.user!),
		canSchedule: !!locals.user!.officeId
	};
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const text = (k: string) => String(form.get(k) ?? '');
		const values = {
			title: text('title'),
			day: text('day'),
			start: text('start'),
			end: text('end'),
			place: text('place'),
			leader: text('leader'),
			hours: text('hours'),
			moduleIds: form.getAll('moduleIds').map(String),
			invitedOfficeIds: form.getAll('invitedOfficeIds').map(String)
		};
		const result = scheduleStudySession(getDb(), actorOf(event), values);
		if (!result.ok) return refuse(400, result.errors, values);
		redirect(303, `/office/study-sessions/${result.id}?created=1`);
	}
};
