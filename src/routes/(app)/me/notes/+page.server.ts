import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { pageParam } from '$lib/server/paging';
import { backPath, deleteNote, listNotes, saveNote, targetFrom } from '$lib/server/notes';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) =>
	listNotes(getDb(), locals.user!, pageParam(url.searchParams));

const field = (form: FormData, name: string) => {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
};

const NOT_FOUND = '没有找到这条笔记，或它已被删除。';

function noteId(form: FormData): number | null | undefined {
	const raw = field(form, 'id').trim();
	if (!raw) return undefined;
	const id = Number(raw);
	return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export const actions: Actions = {
	/**
	 * A new note (NoteForm on a lesson or a 原文 paragraph), or a change to one of the user's own
	 * (`id`). Then back to the page it was written on; a refusal shows here with what was sent.
	 */
	save: async ({ request, locals }) => {
		const form = await request.formData();
		const id = noteId(form);
		const values = {
			id: id ?? null,
			lessonId: field(form, 'lessonId'),
			paragraphId: field(form, 'paragraphId'),
			passage: field(form, 'passage'),
			body: field(form, 'body'),
			back: backPath(form.get('back'), '/me/notes')
		};
		if (id === null) return refuse(404, NOT_FOUND, values);
		const result = saveNote(getDb(), locals.user!, {
			id,
			target: id === undefined ? targetFrom(values) : undefined,
			passage: values.passage,
			body: values.body
		});
		if (!result.ok) return refuse(400, result.errors, values);
		redirect(303, id === undefined ? values.back : backPath(form.get('back'), `/me/notes#note-${id}`));
	},
	/** Deletes one of the user's own notes (after the confirmation on the page). */
	delete: async ({ request, locals }) => {
		const id = noteId(await request.formData());
		if (!id || !deleteNote(getDb(), locals.user!.id, id)) return refuse(404, NOT_FOUND);
		return { deleted: true };
	}
};
