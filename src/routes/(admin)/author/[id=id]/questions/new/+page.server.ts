import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { saveQuestion } from '$lib/server/authoring';
import { draftOf } from '../../../author.server';
import { questionData, postedQuestion } from '../question.server';
import type { Actions, PageServerLoad } from './$types';

// 继续新增 from a question of a lesson keeps that lesson chosen.
export const load: PageServerLoad = (event) =>
	questionData(draftOf(event), null, event.url.searchParams.get('lesson') ?? '');

export const actions: Actions = {
	save: async (event) => {
		const values = await postedQuestion(event.request);
		const draft = draftOf(event);
		const result = saveQuestion(getDb(), actorOf(event), draft.id, null, values);
		if (!result.ok) return refuse(400, result.errors, values);
		redirect(303, `/author/${draft.id}/questions/${result.key}?created=1`);
	}
};
