import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { readResponse } from '$lib/server/quiz/questions';
import { answerReview, nextReview } from '$lib/server/quiz/review';
import { dueCount } from '$lib/server/quiz/wrongbook';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const db = getDb();
	return { next: nextReview(db, locals.user!.id), due: dueCount(db, locals.user!.id) };
};

export const actions: Actions = {
	answer: async ({ locals, request }) => {
		const db = getDb();
		const form = await request.formData();
		const questionId = Number(form.get('questionId'));
		const shown = nextReview(db, locals.user!.id);
		// Only the question currently due can be answered here.
		if (!shown || shown.questionId !== questionId) return refuse(409, '这道题已复习过或还没到复习时间');
		const read = readResponse(shown.question, form);
		if ('error' in read) return refuse(400, read.error);
		const outcome = answerReview(db, locals.user!.id, questionId, read.response);
		if (!outcome.ok) return refuse(400, outcome.message);
		return { outcome: { ...outcome, due: outcome.due.getTime() }, question: shown.question };
	}
};
