import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { questionWarnings, saveQuestion } from '$lib/server/authoring';
import { draftOf } from '../../../author.server';
import { questionData, postedQuestion, questionOf } from '../question.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const draft = draftOf(event);
	const question = questionOf(draft, event.params.key);
	return {
		...questionData(draft, question),
		key: question.key,
		created: event.url.searchParams.has('created'),
		warnings: questionWarnings(question, draft.doc.quiz.shuffle_options)
	};
};

export const actions: Actions = {
	save: async (event) => {
		const values = await postedQuestion(event.request);
		const draft = draftOf(event);
		const question = questionOf(draft, event.params.key);
		const result = saveQuestion(getDb(), actorOf(event), draft.id, question.key, values);
		if (!result.ok) return refuse(400, result.errors, values);
		return { notice: '已保存', warnings: result.warnings };
	}
};
