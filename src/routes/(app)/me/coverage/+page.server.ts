import { getDb } from '$lib/server/db';
import { learnerCoverage, partModules } from '$lib/server/report';
import type { PageServerLoad } from './$types';

/** 我的学习地图: the report's seventeen parts with what the signed-in user studied of each. */
export const load: PageServerLoad = ({ locals }) => {
	const db = getDb();
	const user = locals.user!;
	const modules = partModules(db, user);
	return {
		parts: learnerCoverage(db, user.id).map((p) => ({
			...p,
			lessonsDone: Math.round(p.studied * p.lessonCount),
			modules: (modules.get(p.part) ?? []).slice(0, 3)
		}))
	};
};
