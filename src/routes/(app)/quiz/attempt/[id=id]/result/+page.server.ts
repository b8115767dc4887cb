import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { ownAttempt } from '$lib/server/quiz/attempts';
import { attemptHeading, resultView } from '$lib/server/quiz/overview';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals, url }) => {
	const db = getDb();
	const attempt = ownAttempt(db, locals.user!.id, Number(params.id));
	if (!attempt) error(404, { message: '没有找到这次答题，或您无权查看' });
	if (!attempt.submittedAt) redirect(303, `/quiz/attempt/${attempt.id}`);
	const heading = attemptHeading(db, attempt);
	return {
		late: url.searchParams.has('late'),
		attempt: {
			id: attempt.id,
			kind: attempt.kind,
			title: heading.title,
			moduleSlug: heading.moduleSlug,
			correct: attempt.correct ?? 0,
			total: attempt.total,
			percent: attempt.percent ?? 0,
			passed: attempt.passed ?? false,
			passMark: attempt.passMark,
			points: attempt.points,
			autoSubmitted: attempt.autoSubmitted,
			showAnswers: attempt.showAnswers
		},
		items: resultView(db, attempt)
	};
};
