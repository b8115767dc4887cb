import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { parseExamForm, courseOptions, createExam, graderOptions, paperOptions } from '$lib/server/exams';
import { ownerOf } from '../../author.server';
import { newExamValues, readExamForm } from '../exam.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const db = getDb();
	const owner = ownerOf(locals);
	const papers = paperOptions(db, owner);
	const asked = url.searchParams.get('paper') ?? '';
	const paperId = papers.some((p) => String(p.id) === asked)
		? asked
		: papers.length === 1
			? String(papers[0]!.id)
			: '';
	return {
		values: newExamValues(new Date(), paperId),
		papers,
		courses: courseOptions(db, owner),
		graders: graderOptions(db, owner),
		isSchool: owner.kind === 'school'
	};
};

export const actions: Actions = {
	create: async (event) => {
		const owner = ownerOf(event.locals);
		const form = await event.request.formData();
		const values = readExamForm(form);
		const result = createExam(getDb(), actorOf(event), owner, parseExamForm(form));
		if (!result.ok) return refuse(400, result.errors, values);
		redirect(303, `/author/exams/${result.value.id}?created=1`);
	}
};
