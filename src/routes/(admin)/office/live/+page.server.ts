import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { createLive, officeLives, pickableQuestions } from '$lib/server/live';
import { moduleOptions } from '$lib/server/learning/catalog';
import { managedOfficeIds } from '$lib/server/org/offices';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const db = getDb();
	return {
		lives: officeLives(db, managedOfficeIds(db, locals.user!)),
		modules: moduleOptions(db, { kind: 'office', officeId: locals.user!.officeId }),
		bank: pickableQuestions(db, locals.user!.officeId)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const values = {
			moduleId: String(form.get('moduleId') ?? ''),
			count: String(form.get('count') ?? ''),
			seconds: String(form.get('seconds') ?? ''),
			speedBonus: form.get('speedBonus') === 'on'
		};
		const questionIds = form.getAll('questionIds').map(Number);
		const created = createLive(getDb(), actorOf(event), {
			moduleId: Number(values.moduleId),
			count: Number(values.count),
			seconds: Number(values.seconds),
			speedBonus: values.speedBonus,
			questionIds
		});
		if (!created.ok) return refuse(400, created.errors, values);
		redirect(303, `/office/live/${created.id}`);
	}
};
