import { error, fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { answerLive, getLive, isPlayer, liveState } from '$lib/server/live';
import { readResponse } from '$lib/server/quiz/questions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => {
	const db = getDb();
	const live = getLive(db, Number(params.id));
	if (!live || !isPlayer(db, live.id, locals.user!.id)) error(404, { message: '您还没有加入这场现场答题' });
	return { state: liveState(db, live.id, locals.user!.id)! };
};

export const actions: Actions = {
	answer: async ({ params, locals, request }) => {
		const db = getDb();
		const state = liveState(db, Number(params.id), locals.user!.id);
		// A message belongs to the question it was about; the page hides it once the next one starts.
		if (!state?.question) return fail(400, { message: '现在不在作答时间', index: state?.index ?? -1 });
		const read = readResponse(state.question, await request.formData());
		if ('error' in read) return fail(400, { message: read.error, index: state.index });
		const r = answerLive(db, locals.user!, Number(params.id), read.response);
		if (!r.ok) return fail(400, { message: r.message, index: state.index });
		// Nothing to return: whether this player has answered is read from the live state.
	}
};
