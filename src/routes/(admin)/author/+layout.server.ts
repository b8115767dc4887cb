import { getDb } from '$lib/server/db';
import { listAuthored } from '$lib/server/authoring';
import { gradableExams } from '$lib/server/exams';
import { ownerOf } from './author.server';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	const db = getDb();
	const owner = ownerOf(locals);
	return {
		// The counts beside 待审核 and 考试 (简答 answers waiting for this grader) in the section's navigation.
		pendingReviews: listAuthored(db, owner).filter((row) => row.status === 'submitted').length,
		toGrade: gradableExams(db, locals.user!.id).reduce((sum, exam) => sum + exam.toGrade, 0),
		authorKind: owner.kind
	};
};
