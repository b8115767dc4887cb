import { error, redirect } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { getDb } from '$lib/server/db';
import { modules } from '$lib/server/db/schema';
import { ownAttempt } from '$lib/server/quiz/attempts';
import { resultView } from '$lib/server/quiz/overview';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals, url }) => {
	const db = getDb();
	const attempt = ownAttempt(db, locals.user!.id, Number(params.id));
	if (!attempt) error(404, { message: '找不到这次答题' });
	if (!attempt.submittedAt) redirect(303, `/quiz/attempt/${attempt.id}`);
	const mod = attempt.moduleId ? db.select({ slug: modules.slug, title: modules.title }).from(modules).where(eq(modules.id, attempt.moduleId)).get() : undefined;
	return {
		late: url.searchParams.has('late'),
		attempt: {
			id: attempt.id,
			kind: attempt.kind,
			title: attempt.kind === 'daily' ? '每日一练' : (mod?.title ?? '模块测验'),
			moduleSlug: mod?.slug ?? null,
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
