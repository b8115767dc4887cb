import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { parseExamForm, courseOptions, graderOptions, paperOptions, updateExam } from '$lib/server/exams';
import { examOf, examValues, readExamForm } from '../../exam.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { owner, exam } = examOf(event);
	const db = getDb();
	const papers = paperOptions(db, owner);
	return {
		exam: { id: exam.id, title: exam.title, phase: exam.phase, started: exam.started },
		values: examValues(exam),
		// The exam's own paper stays a choice even when it has been deleted from the list since.
		papers: papers.some((p) => p.id === exam.paperId)
			? papers
			: [
					...papers,
					{ id: exam.paperId, title: `${exam.title}的试卷（已删除）`, totalPoints: exam.totalPoints }
				],
		courses: courseOptions(db, owner),
		graders: graderOptions(db, owner),
		isSchool: owner.kind === 'school'
	};
};

export const actions: Actions = {
	save: async (event) => {
		const { owner, exam } = examOf(event);
		const form = await event.request.formData();
		const values = readExamForm(form);
		const result = updateExam(getDb(), actorOf(event), owner, exam.id, parseExamForm(form));
		if (!result.ok) return refuse(400, result.errors, values);
		redirect(303, `/author/exams/${exam.id}?saved=1`);
	}
};
