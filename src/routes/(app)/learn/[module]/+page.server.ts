import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getModule, moduleLessons, resumeLesson } from '$lib/server/learning/catalog';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => {
	const db = getDb();
	const mod = getModule(db, params.module);
	if (!mod) error(404, { message: '没有找到这个学习模块，或它已下线' });
	const lessons = moduleLessons(db, mod.id, locals.user!.id);
	return { module: mod, lessons, resume: resumeLesson(lessons)?.slug ?? null };
};
