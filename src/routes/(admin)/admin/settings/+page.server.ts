import { fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { setYearlyRequirement, yearlyRequirement } from '$lib/server/courses/hours';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ requirement: yearlyRequirement(getDb()) });

export const actions: Actions = {
	default: async ({ request }) => {
		const value = String((await request.formData()).get('requirement') ?? '');
		const result = setYearlyRequirement(getDb(), value);
		if (!result.ok) return fail(400, { value, error: result.error });
		return { notice: '已保存' };
	}
};
