import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { recordView } from '$lib/server/courses/views';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const record = recordView(getDb(), locals.user!.id);
	if (!record) error(404, { message: '没有找到您的学习档案' });
	return { record };
};
