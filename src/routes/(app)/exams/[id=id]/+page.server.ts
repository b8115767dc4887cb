import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { candidateExam, NOT_A_CANDIDATE, runningExam, startExam } from '$lib/server/exams';
import type { Actions, PageServerLoad } from './$types';

function examOf(locals: App.Locals, id: string, now: Date) {
	const exam = candidateExam(getDb(), locals.user!.id, Number(id), now);
	// An exam they are no candidate of looks exactly like one that does not exist.
	if (!exam) error(404, { message: NOT_A_CANDIDATE });
	return exam;
}

export const load: PageServerLoad = ({ params, locals, url }) => {
	const now = new Date();
	let exam = examOf(locals, params.id, now);
	let deadline: Date | null = null;
	if (exam.runningAttemptId !== null) {
		// The deadline the server set at the start; an attempt past it is closed on the way.
		const running = runningExam(getDb(), locals.user!.id, exam.runningAttemptId, now);
		if (running) deadline = running.deadline;
		else exam = examOf(locals, params.id, now);
	}
	return {
		exam: {
			id: exam.id,
			title: exam.title,
			instructions: exam.instructions,
			state: exam.state,
			opensAt: exam.opensAt,
			closesAt: exam.closesAt,
			durationMinutes: exam.durationMinutes,
			totalPoints: exam.totalPoints,
			passMark: exam.passMark,
			questionCount: exam.questionCount,
			attemptsAllowed: exam.attemptsAllowed,
			attemptsUsed: exam.attemptsUsed,
			runningAttemptId: exam.runningAttemptId,
			counting: exam.counting,
			result: exam.result && { score: exam.result.score, passed: exam.result.passed }
		},
		deadline,
		submitted: url.searchParams.has('submitted'),
		late: url.searchParams.has('late')
	};
};

export const actions: Actions = {
	start: ({ params, locals }) => {
		const now = new Date();
		const exam = examOf(locals, params.id, now);
		const started = startExam(getDb(), { id: locals.user!.id }, exam.id, now);
		if (!started.ok) return refuse(400, started.message);
		redirect(303, `/exams/attempt/${started.attemptId}`);
	}
};
