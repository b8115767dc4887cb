import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import {
	GRACE_MS,
	ownAttempt,
	questionAt,
	runningView,
	saveAnswer,
	submitAttempt
} from '$lib/server/quiz/attempts';
import { readResponse } from '$lib/server/quiz/questions';
import { attemptHeading } from '$lib/server/quiz/overview';
import type { Actions, PageServerLoad } from './$types';

function attemptOf(locals: App.Locals, id: string) {
	const attempt = ownAttempt(getDb(), locals.user!.id, Number(id));
	// Someone else's attempt looks exactly like one that does not exist.
	if (!attempt) error(404, { message: '没有找到这次答题，或您无权查看' });
	return attempt;
}

export const load: PageServerLoad = ({ params, locals, url }) => {
	const db = getDb();
	let attempt = attemptOf(locals, params.id);
	if (!attempt.submittedAt && Date.now() > attempt.deadline.getTime() + GRACE_MS) {
		submitAttempt(db, locals.user!.id, attempt.id);
		attempt = attemptOf(locals, params.id);
	}
	if (attempt.submittedAt) redirect(303, `/quiz/attempt/${attempt.id}/result`);
	const view = runningView(db, attempt);
	const requested = Number(url.searchParams.get('q'));
	const firstOpen = view.find((v) => v.response === null)?.position ?? 1;
	const position =
		Number.isInteger(requested) && requested >= 1 && requested <= view.length ? requested : firstOpen;
	return {
		attempt: {
			id: attempt.id,
			title: attemptHeading(db, attempt).title,
			deadline: attempt.deadline.getTime(),
			total: view.length
		},
		serverNow: Date.now(),
		confirming: url.searchParams.has('confirm'),
		position,
		current: view[position - 1]!,
		map: view.map((v) => ({ position: v.position, answered: v.response !== null, flagged: v.flagged }))
	};
};

function target(go: string, position: number, total: number): string {
	if (go === 'stay') return `?q=${position}`;
	if (go === 'prev') return `?q=${Math.max(1, position - 1)}`;
	if (go === 'confirm') return '?confirm';
	if (go.startsWith('map:')) return `?q=${Math.min(total, Math.max(1, Number(go.slice(4)) || 1))}`;
	return position >= total ? '?confirm' : `?q=${position + 1}`;
}

export const actions: Actions = {
	answer: async ({ params, locals, request }) => {
		const db = getDb();
		const attemptId = Number(params.id);
		const form = await request.formData();
		const position = Number(form.get('position'));
		// One lookup checks the owner and finds the question (this runs on every answer).
		const found = questionAt(db, locals.user!.id, attemptId, position);
		if (!found) {
			attemptOf(locals, params.id); // 404 unless it is this user's attempt
			return refuse(400, '没有找到这道题');
		}
		const read = readResponse(found.question, form);
		if ('error' in read) return refuse(400, read.error);
		const saved = saveAnswer(db, locals.user!.id, attemptId, position, {
			response: read.response,
			flagged: form.get('flag') === 'on'
		});
		if (!saved.ok) {
			if (saved.reason === 'late' || saved.reason === 'closed')
				redirect(303, `/quiz/attempt/${attemptId}/result?late=1`);
			return refuse(400, saved.message);
		}
		redirect(
			303,
			`/quiz/attempt/${attemptId}${target(String(form.get('go') ?? 'next'), position, found.total)}`
		);
	},
	submit: ({ params, locals }) => {
		const result = submitAttempt(getDb(), locals.user!.id, Number(params.id));
		if (!result.ok) error(404, { message: result.message });
		redirect(303, `/quiz/attempt/${result.attemptId}/result${result.late ? '?late=1' : ''}`);
	}
};
