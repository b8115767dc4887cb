import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { DAILY_QUESTIONS, DAILY_TIME_LIMIT_MINUTES, startDailyPractice } from '$lib/server/quiz/attempts';
import { dailyStatus } from '$lib/server/quiz/overview';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({
	status: dailyStatus(getDb(), locals.user!.id),
	questions: DAILY_QUESTIONS,
	minutes: DAILY_TIME_LIMIT_MINUTES
});

export const actions: Actions = {
	start: ({ locals }) => {
		const result = startDailyPractice(getDb(), locals.user!);
		if (!result.ok) return refuse(400, result.message);
		redirect(303, `/quiz/attempt/${result.attemptId}`);
	}
};
