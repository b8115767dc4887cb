import { redirect, type RequestEvent } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { actorOf } from '$lib/server/audit';
import { refuse } from '$lib/server/forms';
import { parseTalkForm, saveTalk, discardUnusedPhotos, type readTalkForm } from '$lib/server/outreach';
import type { TalkFormValues } from '$lib/components/TalkForm.svelte';

type TalkBody = Awaited<ReturnType<typeof readTalkForm>>;

/**
 * The talk form's action (new and edit): the body as readTalkForm read it (photos already
 * checked and stored), saved or submitted by saveTalk; a refusal sends back every value, with
 * the number of photos chosen (a browser without JavaScript has to choose them again).
 */
export async function saveTalkForm(
	event: RequestEvent,
	body: TalkBody,
	editing?: { id: number; submitted: boolean }
) {
	const input = parseTalkForm(body.fields);
	const removePhotos = body.fields.get('removePhotos') ?? [];
	const values: TalkFormValues = { ...input, removePhotos, photosChosen: body.photos.length };
	if (body.bodyError) return refuse(400, body.bodyError, values);
	if (body.photoError) return refuse(400, { photos: body.photoError }, values);
	const intent = body.fields.get('intent')?.[0];
	if (intent !== 'draft' && intent !== 'submit') {
		await discardUnusedPhotos(getDb(), body.photos);
		return refuse(400, '请点“保存草稿”或“提交”', values);
	}
	const removePhotoIds = removePhotos.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
	const db = getDb();
	const result = saveTalk(db, actorOf(event), {
		talkId: editing?.id,
		intent,
		input,
		photos: body.photos,
		removePhotoIds
	});
	if (!result.ok) {
		// Nothing of a refused form is kept: not its photos' files either.
		await discardUnusedPhotos(db, body.photos);
		return refuse(400, result.errors, values);
	}
	const done = result.status === 'draft' ? 'saved' : editing?.submitted ? 'corrected' : 'submitted';
	redirect(303, `/outreach/${result.id}?${done}=1`);
}
