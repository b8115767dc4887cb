import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { examResult, NOT_A_CANDIDATE } from '$lib/server/exams';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals, url }) => {
	// `?attempt=` reviews another of their own sittings (a 补考 next to the first one).
	const requested = Number(url.searchParams.get('attempt'));
	const attemptId = Number.isSafeInteger(requested) && requested > 0 ? requested : undefined;
	const result = examResult(getDb(), locals.user!.id, Number(params.id), attemptId);
	// Someone else's exam, or one they are no candidate of, looks like one that does not exist.
	if (!result) error(404, { message: NOT_A_CANDIDATE });
	return { result };
};
