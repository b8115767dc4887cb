import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { formFields } from '$lib/server/validation';
import { saveLesson } from '$lib/server/authoring';
import { draftOf } from '../../../author.server';
import { editorData, previewPosted } from '../lesson.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => ({
	...editorData(event.locals, draftOf(event), null),
	key: null
});

export const actions: Actions = {
	save: async (event) => {
		const values = formFields(await event.request.formData());
		const draft = draftOf(event);
		const result = saveLesson(getDb(), actorOf(event), draft.id, null, values);
		if (!result.ok) return refuse(400, result.errors, values);
		redirect(303, `/author/${draft.id}/lessons/${result.key}?created=1`);
	},
	preview: async (event) => {
		const values = formFields(await event.request.formData());
		draftOf(event);
		return previewPosted(values);
	}
};
