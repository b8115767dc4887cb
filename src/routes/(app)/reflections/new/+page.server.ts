import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { MAX_CHARS, MIN_CHARS, saveReflection } from '$lib/server/reflections';
import { reflectionInputFrom } from '$lib/server/reflections/form';
import { topicOptions } from '$lib/server/reflections/topics';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => ({
	topics: topicOptions(getDb(), locals.user!),
	preset: { moduleId: url.searchParams.get('module'), sessionId: url.searchParams.get('session') },
	min: MIN_CHARS,
	max: MAX_CHARS
});

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const { input, submit } = reflectionInputFrom(await request.formData());
		const result = saveReflection(getDb(), locals.user!, input, submit);
		if (!result.ok) return refuse(400, result.errors, input);
		redirect(303, `/reflections/${result.id}?${submit ? 'submitted' : 'saved'}=1`);
	}
};
