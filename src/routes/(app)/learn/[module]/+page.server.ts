import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getModule, moduleLessons, resumeLesson } from '$lib/server/learning/catalog';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => {
	const db = getDb();
	const user = locals.user!;
	// A module outside the user's audience is as missing as an archived one.
	const mod = getModule(db, user, params.module);
	if (!mod) error(404, { message: '没有找到这个学习模块，或它已下线' });
	const lessons = moduleLessons(db, mod.id, user.id);
	return { module: mod, lessons, resume: resumeLesson(lessons)?.slug ?? null };
};
