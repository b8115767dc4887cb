import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { recordView } from '$lib/server/courses/views';
import { userTalks } from '$lib/server/outreach';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const db = getDb();
	const record = recordView(db, locals.user!.id);
	if (!record) error(404, { message: '没有找到您的学习档案' });
	return { record, talks: userTalks(db, locals.user!.id) };
};
