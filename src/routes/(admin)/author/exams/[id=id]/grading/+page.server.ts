import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { gradeAnswer, gradingQueue, gradingTask, isGrader } from '$lib/server/exams';
import { examOf } from '../../exam.server';
import type { GradingTask } from '$lib/server/exams';
import type { Actions, PageServerLoad } from './$types';

/**
 * 阅卷: the grader's queue, one 简答 answer at a time, shown by its 答卷编号 only (never the
 * candidate's name), the rubric beside it, a score per 采分点 and a comment.
 */

const NOT_A_GRADER = '您不是这场考试的阅卷人';

function graderOf(event: Parameters<typeof examOf>[0]) {
	const { exam } = examOf(event);
	const userId = event.locals.user!.id;
	if (!isGrader(getDb(), userId, exam.id)) error(403, { message: NOT_A_GRADER });
	return { exam, userId };
}

export const load: PageServerLoad = (event) => {
	const { exam, userId } = graderOf(event);
	const queue = gradingQueue(getDb(), userId, exam.id);
	return {
		exam: { id: exam.id, title: exam.title, phase: exam.phase, secondGrading: exam.secondGrading },
		task: queue.next,
		progress: queue.progress
	};
};

const id = (value: FormDataEntryValue | null) =>
	typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : 0;

export const actions: Actions = {
	grade: async (event) => {
		const { exam, userId } = graderOf(event);
		const form = await event.request.formData();
		const attemptId = id(form.get('attemptId'));
		const position =
			typeof form.get('position') === 'string' && /^\d{1,4}$/.test(String(form.get('position')))
				? Number(form.get('position'))
				: -1;
		const round = id(form.get('round'));
		// One mark per 采分点, as typed (`scores.0`, `scores.1`, …); what is no number stays NaN for the check.
		const typed: string[] = [];
		for (const [key, value] of form) {
			const m = /^scores\.(\d{1,2})$/.exec(key);
			if (m && typeof value === 'string') typed[Number(m[1])] = value.trim().slice(0, 12);
		}
		const marks = Array.from(typed, (v) => (v && /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN));
		const comment = String(form.get('comment') ?? '').slice(0, 2000);
		const values = {
			attemptId: String(attemptId),
			position: String(position),
			scores: Array.from(typed, (v) => v ?? ''),
			comment,
			task: null as GradingTask | null
		};
		if (!attemptId || position < 0) return refuse(400, '没有找到这份答案，请评下一份', values);
		const db = getDb();
		const result = gradeAnswer(db, actorOf(event), exam.id, attemptId, position, {
			scores: marks,
			comment,
			...(round ? { round } : {})
		});
		if (!result.ok)
			return refuse(400, result.errors, {
				...values,
				// The same answer again, to correct the marks (gone when someone else graded it meanwhile).
				task: gradingTask(db, userId, exam.id, attemptId, position) ?? null
			});
		return { notice: '已评分' };
	}
};
