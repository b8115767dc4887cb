import { getDb } from '$lib/server/db';
import { quizModules } from '$lib/server/quiz/settings';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({
	modules: quizModules(getDb())
});
