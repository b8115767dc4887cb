import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { scheduleSession } from '$lib/server/meetings/sessions';
import { moduleOptions } from '$lib/server/courses/form';
import { flattenTree, listOffices, officeTree } from '$lib/server/org/offices';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const db = getDb();
	return {
		modules: moduleOptions(db),
		offices: flattenTree(officeTree(listOffices(db))).filter((o) => o.id !== locals.user!.officeId).map((o) => ({ id: o.id, name: o.name, depth: o.depth })),
		canSchedule: !!locals.user!.officeId
	};
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const form = await request.formData();
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
		const result = scheduleSession(getDb(), locals.user!, values);
		if (!result.ok) return fail(400, { values, errors: result.errors });
		redirect(303, `/office/sessions/${result.id}?created=1`);
	}
};
