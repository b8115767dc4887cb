import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { answerLive, joinedLive, liveState } from '$lib/server/live';
import { readResponse } from '$lib/server/quiz/questions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => {
	const db = getDb();
	const live = joinedLive(db, locals.user!.id, Number(params.id));
	if (!live) error(404, { message: '没有找到这场现场答题，或您还没有加入' });
	return { state: liveState(db, live.id, locals.user!.id)! };
};

export const actions: Actions = {
	answer: async ({ params, locals, request }) => {
		const db = getDb();
		const state = liveState(db, Number(params.id), locals.user!.id);
		// A message belongs to the question it was about (`index`); the page hides it once the next one starts.
		if (!state?.question) return refuse(400, '现在不在作答时间', { index: state?.index ?? -1 });
		const read = readResponse(state.question, await request.formData());
		if ('error' in read) return refuse(400, read.error, { index: state.index });
		const answered = answerLive(db, locals.user!, Number(params.id), read.response);
		if (!answered.ok) return refuse(400, answered.message, { index: state.index });
		// Nothing to return: whether this player has answered is read from the live state.
	}
};
