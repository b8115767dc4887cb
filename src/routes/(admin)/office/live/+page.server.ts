import { fail, redirect } from '@sveltejs/kit';
import { asc, isNull } from 'drizzle-orm';
import { getDb } from '$lib/server/db';
import { actorOf } from '$lib/server/audit';
import { questions } from '$lib/server/db/schema';
import { createLive, officeLives } from '$lib/server/live';
import { moduleOptions } from '$lib/server/courses/form';
import { managedOfficeIds } from '$lib/server/org/offices';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const db = getDb();
	const bank = db
		.select({ id: questions.id, stem: questions.stem, moduleId: questions.moduleId })
		.from(questions)
		.where(isNull(questions.archivedAt))
		.orderBy(asc(questions.moduleId), asc(questions.id))
		.all();
	return { lives: officeLives(db, managedOfficeIds(db, locals.user!)), modules: moduleOptions(db), bank };
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const values = { moduleId: String(form.get('moduleId') ?? ''), count: String(form.get('count') ?? ''), seconds: String(form.get('seconds') ?? ''), speedBonus: form.get('speedBonus') === 'on' };
		const questionIds = form.getAll('questionIds').map(Number);
		const r = createLive(getDb(), actorOf(event), { moduleId: Number(values.moduleId), count: Number(values.count), seconds: Number(values.seconds), speedBonus: values.speedBonus, questionIds });
		if (!r.ok) return fail(400, { values, errors: r.errors });
		redirect(303, `/office/live/${r.id}`);
	}
};
