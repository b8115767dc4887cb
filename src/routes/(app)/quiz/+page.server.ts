import { getDb } from '$lib/server/db';
import { history } from '$lib/server/quiz/attempts';
import { dailyStatus, moduleQuizzes } from '$lib/server/quiz/overview';
import { dueCount, listBook } from '$lib/server/quiz/wrongbook';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const db = getDb();
	const userId = locals.user!.id;
	return {
		daily: dailyStatus(db, userId),
		quizzes: moduleQuizzes(db, locals.user!),
		due: dueCount(db, userId),
		bookSize: listBook(db, userId).length,
		recent: history(db, userId, 1, 5)
	};
};
