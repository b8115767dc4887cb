import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { formFields } from '$lib/server/validation';
import { createDraft, newModuleFields, themeOptions } from '$lib/server/authoring';
import { addTheme, ownerOf } from '../author.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const owner = ownerOf(locals);
	return {
		themes: themeOptions(getDb(), owner),
		isSchool: owner.kind === 'school',
		defaults: newModuleFields()
	};
};

export const actions: Actions = {
	create: async (event) => {
		const values = formFields(await event.request.formData());
		const result = createDraft(getDb(), actorOf(event), values);
		if (!result.ok) return refuse(400, result.errors, values);
		redirect(303, `/author/${result.id}?created=1`);
	},
	theme: (event) => addTheme(event, '')
};
