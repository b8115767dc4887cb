import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { createPaper, paperModules, parsePaperForm } from '$lib/server/exams';
import { readPaperForm } from '$lib/paper-form';
import { ownerOf } from '../../author.server';
import { bankView, capacityOf, DEFAULT_BANK_FILTER, newPaperValues, paperEdit } from '../paper.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const owner = ownerOf(locals);
	return {
		values: newPaperValues(),
		bank: bankView(owner, DEFAULT_BANK_FILTER),
		modules: paperModules(getDb(), owner),
		capacity: {} as Record<string, number>
	};
};

export const actions: Actions = {
	save: async (event) => {
		const owner = ownerOf(event.locals);
		const form = await event.request.formData();
		const values = readPaperForm(form);
		const result = createPaper(getDb(), actorOf(event), owner, parsePaperForm(form));
		if (!result.ok) return refuse(400, result.errors, { ...values, capacity: capacityOf(owner, values) });
		redirect(303, `/author/papers/${result.value.id}?created=1`);
	},
	edit: async (event) => paperEdit(event, await event.request.formData())
};
