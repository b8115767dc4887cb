import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { getModule } from '$lib/server/learning/catalog';
import { startModuleAttempt } from '$lib/server/quiz/attempts';
import { moduleQuizzes } from '$lib/server/quiz/overview';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => {
	const db = getDb();
	const quiz = moduleQuizzes(db, locals.user!).find((q) => q.slug === params.slug);
	if (!quiz) error(404, { message: '没有找到这个模块的测验，或它已下线' });
	return { quiz };
};

export const actions: Actions = {
	start: ({ params, locals }) => {
		const db = getDb();
		const mod = getModule(db, locals.user!, params.slug);
		if (!mod) error(404, { message: '没有找到这个模块的测验，或它已下线' });
		const result = startModuleAttempt(db, locals.user!, mod.id);
		if (!result.ok) return refuse(400, result.message);
		redirect(303, `/quiz/attempt/${result.attemptId}`);
	}
};
