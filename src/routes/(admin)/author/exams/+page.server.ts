import { getDb } from '$lib/server/db';
import { gradableExams, listExams } from '$lib/server/exams';
import { ownerOf } from '../author.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const db = getDb();
	return {
		exams: listExams(db, ownerOf(locals)),
		grading: gradableExams(db, locals.user!.id),
		cancelled: url.searchParams.has('cancelled')
	};
};
