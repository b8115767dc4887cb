import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { formFields } from '$lib/server/validation';
import { removeLesson, saveLesson } from '$lib/server/authoring';
import { draftOf } from '../../../author.server';
import { editorData, lessonOf, previewPosted } from '../lesson.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const draft = draftOf(event);
	const lesson = lessonOf(draft, event.params.key);
	return {
		...editorData(event.locals, draft, lesson),
		key: lesson.key,
		created: event.url.searchParams.has('created')
	};
};

export const actions: Actions = {
	save: async (event) => {
		const values = formFields(await event.request.formData());
		const draft = draftOf(event);
		const lesson = lessonOf(draft, event.params.key);
		const result = saveLesson(getDb(), actorOf(event), draft.id, lesson.key, values);
		if (!result.ok) return refuse(400, result.errors, values);
		return { notice: '已保存' };
	},
	preview: async (event) => {
		const values = formFields(await event.request.formData());
		lessonOf(draftOf(event), event.params.key);
		return previewPosted(values);
	},
	remove: async (event) => {
		const draft = draftOf(event);
		const lesson = lessonOf(draft, event.params.key);
		const result = removeLesson(getDb(), actorOf(event), draft.id, lesson.key);
		if (!result.ok) return refuse(400, result.errors);
		redirect(303, `/author/${draft.id}`);
	}
};
