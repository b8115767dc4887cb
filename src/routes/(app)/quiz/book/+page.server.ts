import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { dueCount, listBook, removeFromBook } from '$lib/server/quiz/wrongbook';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const db = getDb();
	return { entries: listBook(db, locals.user!.id), due: dueCount(db, locals.user!.id), now: Date.now() };
};

export const actions: Actions = {
	remove: async ({ locals, request }) => {
		const questionId = Number((await request.formData()).get('questionId'));
		if (!removeFromBook(getDb(), locals.user!.id, questionId)) return refuse(400, '这道题不在您的错题本中');
		return { notice: '已移出错题本。以后再答错会重新加入。' };
	}
};
