import { exportCounts } from '$lib/server/question-bank';
import { draftOf } from '../../../author.server';
import { draftSummary } from '../question.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const draft = draftOf(event);
	return { draft: draftSummary(draft), counts: exportCounts(draft.doc) };
};
