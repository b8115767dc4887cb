import { getDb } from '$lib/server/db';
import { taskCards, yearHours } from '$lib/server/courses/views';
import { myExams } from '$lib/server/exams';
import { examCard } from '$lib/exam-candidate';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const db = getDb();
	const user = locals.user!;
	const now = new Date();
	return {
		tasks: taskCards(db, user.id, now),
		// Exams to sit now or soon; past ones are on 我的考试.
		exams: myExams(db, user.id, now)
			.filter((e) => e.state === 'open' || e.state === 'running' || e.state === 'upcoming')
			.map(examCard),
		yearHours: yearHours(db, user.id, now)
	};
};
