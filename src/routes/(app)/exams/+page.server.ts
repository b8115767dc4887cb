import { getDb } from '$lib/server/db';
import { myExams } from '$lib/server/exams';
import { examCard } from '$lib/exam-candidate';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	// Open and running first, then upcoming, then past (the domain's order).
	return { exams: myExams(getDb(), locals.user!.id, new Date()).map(examCard) };
};
