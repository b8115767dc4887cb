import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import {
	cancelExam,
	examDashboard,
	graderOptions,
	gradingProgress,
	releaseResults,
	remindAbsentees
} from '$lib/server/exams';
import { examOf } from '../exam.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const { owner, exam } = examOf(event);
	const db = getDb();
	const graders = graderOptions(db, owner).filter((g) => exam.graderIds.includes(g.id));
	return {
		exam,
		dashboard: examDashboard(db, owner, exam.id, new Date())!,
		progress: exam.hasEssays ? gradingProgress(db, exam.id) : null,
		graders: graders.map((g) => g.name),
		isGrader: exam.graderIds.includes(event.locals.user!.id),
		created: event.url.searchParams.has('created'),
		saved: event.url.searchParams.has('saved')
	};
};

export const actions: Actions = {
	remind: async (event) => {
		const { owner, exam } = examOf(event);
		const result = remindAbsentees(getDb(), actorOf(event), owner, exam.id, new Date());
		if (!result.ok) return refuse(400, result.errors);
		const n = result.value.reminded;
		return {
			notice: n ? `已向 ${n} 位未交卷的考生发送催考提醒` : '没有需要提醒的考生（今天已提醒过的不再重复）'
		};
	},
	release: async (event) => {
		const { owner, exam } = examOf(event);
		const result = releaseResults(getDb(), actorOf(event), owner, exam.id, new Date());
		if (!result.ok) return refuse(400, result.errors);
		return { notice: `成绩已公布：${result.value.released} 份答卷的成绩考生现在可以看到了` };
	},
	cancel: async (event) => {
		const { owner, exam } = examOf(event);
		const result = cancelExam(getDb(), actorOf(event), owner, exam.id);
		if (!result.ok) return refuse(400, result.errors);
		redirect(303, '/author/exams?cancelled=1');
	}
};
