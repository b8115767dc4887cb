import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import {
	ATTEMPT_NOT_FOUND,
	examQuestionAt,
	ownExamAttempt,
	readExamResponse,
	runningExam,
	saveExamAnswer,
	submitExam
} from '$lib/server/exams';
import type { Actions, PageServerLoad } from './$types';

/** The attempt's owner only; anyone else's looks exactly like one that does not exist. */
function attemptOf(locals: App.Locals, id: string) {
	const attempt = ownExamAttempt(getDb(), locals.user!.id, Number(id));
	if (!attempt) error(404, { message: ATTEMPT_NOT_FOUND });
	return attempt;
}

/** Where a closed attempt goes: its exam's page, which says it was handed in (or closed by the clock). */
function closed(locals: App.Locals, id: string, late = false): never {
	const attempt = attemptOf(locals, id);
	redirect(303, `/exams/${attempt.examId}?${late || attempt.autoSubmitted ? 'late' : 'submitted'}`);
}

export const load: PageServerLoad = ({ params, locals, url }) => {
	const now = new Date();
	// Closed on the way when its time (and the grace) ran out.
	const exam = runningExam(getDb(), locals.user!.id, Number(params.id), now);
	if (!exam) closed(locals, params.id);
	const total = exam.items.length;
	const requested = Number(url.searchParams.get('q'));
	// Past the last question is the check before handing in.
	if (Number.isInteger(requested) && requested > total && !url.searchParams.has('confirm'))
		redirect(303, `/exams/attempt/${exam.attemptId}?confirm`);
	const firstOpen = exam.items.find((i) => i.response === null)?.position ?? 1;
	const position =
		Number.isInteger(requested) && requested >= 1 && requested <= total ? requested : firstOpen;
	const current = exam.items[position - 1]!;
	const section = exam.sections[current.section];
	const startedAt = ownExamAttempt(getDb(), locals.user!.id, exam.attemptId)!.startedAt;
	return {
		attempt: {
			id: exam.attemptId,
			examId: exam.examId,
			title: exam.title,
			deadline: exam.deadline.getTime(),
			// A sitting longer than 15 minutes warns when 5 are left (a shorter one has its red clock).
			warnAtFive: exam.deadline.getTime() - startedAt.getTime() > 15 * 60_000,
			total
		},
		serverNow: now.getTime(),
		confirming: url.searchParams.has('confirm'),
		position,
		section: {
			index: current.section,
			count: exam.sections.length,
			title: section?.title ?? '',
			instructions: section?.instructions ?? ''
		},
		// What the page may see of the question: no key, no reference answer, no rubric.
		current: {
			position: current.position,
			points: current.points,
			question: {
				type: current.type,
				stem: current.stem,
				options: current.options,
				blanks: current.blanks,
				maxLength: current.maxLength
			},
			response: current.response as string | number | boolean | number[] | string[] | null,
			flagged: current.flagged
		},
		sections: exam.sections.map((s) => s.title),
		map: exam.items.map((i) => ({
			position: i.position,
			section: i.section,
			answered: i.response !== null,
			flagged: i.flagged
		}))
	};
};

function target(go: string, position: number): string {
	if (go === 'stay') return `?q=${position}`;
	if (go === 'prev') return `?q=${Math.max(1, position - 1)}`;
	if (go === 'confirm') return '?confirm';
	if (go.startsWith('map:')) return `?q=${Math.max(1, Number(go.slice(4)) || 1)}`;
	// The last question's button says `confirm`; past the end the page shows the check anyway.
	return `?q=${position + 1}`;
}

export const actions: Actions = {
	answer: async ({ params, locals, request }) => {
		const db = getDb();
		const now = new Date();
		const attemptId = Number(params.id);
		const form = await request.formData();
		const position = Number(form.get('position'));
		// One lookup checks the owner and finds the question (this runs on every answer).
		const question = examQuestionAt(db, locals.user!.id, attemptId, position);
		if (!question) {
			attemptOf(locals, params.id); // 404 unless it is this user's attempt
			return refuse(400, '没有找到这道题');
		}
		const read = readExamResponse(question, form);
		if ('error' in read) return refuse(400, read.error);
		const saved = saveExamAnswer(
			db,
			locals.user!.id,
			attemptId,
			position,
			{ response: read.response, flagged: form.get('flag') === 'on' },
			now
		);
		if (!saved.ok) {
			// Over (handed in, or its time and the grace ran out): the answer is not taken.
			if (saved.reason === 'late' || saved.reason === 'closed')
				closed(locals, params.id, saved.reason === 'late');
			if (saved.reason === 'missing') error(404, { message: ATTEMPT_NOT_FOUND });
			return refuse(400, saved.message);
		}
		const go = String(form.get('go') ?? 'next');
		// The clock ran out on the page: the answer on screen is saved, then the paper handed in.
		if (go === 'finish') {
			const submitted = submitExam(db, locals.user!.id, attemptId, now);
			if (!submitted.ok) error(404, { message: submitted.message });
			closed(locals, params.id, submitted.late);
		}
		redirect(303, `/exams/attempt/${attemptId}${target(go, position)}`);
	},
	submit: ({ params, locals }) => {
		const result = submitExam(getDb(), locals.user!.id, Number(params.id), new Date());
		if (!result.ok) error(404, { message: result.message });
		// Handed in by the clock (at zero, or after it) says so on the exam's page.
		closed(locals, params.id, result.late);
	}
};
