import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import {
	comment,
	getReflection,
	markExcellent,
	MAX_CHARS,
	MIN_CHARS,
	saveReflection
} from '$lib/server/reflections';
import { reflectionInputFrom } from '$lib/server/reflections/form';
import { topicOptions } from '$lib/server/reflections/topics';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals, url }) => {
	const db = getDb();
	const found = getReflection(db, locals.user!, Number(params.id));
	// Someone else's private reflection looks exactly like a missing one.
	if (!found) error(404, { message: '没有找到这篇心得体会，或您无权查看' });
	const reflection = found.reflection;
	const editable = reflection.userId === locals.user!.id && reflection.status === 'draft';
	return {
		reflection: {
			id: reflection.id,
			title: reflection.title,
			body: reflection.body,
			status: reflection.status,
			excellent: reflection.excellent,
			moduleId: reflection.moduleId,
			sessionId: reflection.sessionId,
			submittedAt: reflection.submittedAt
		},
		authorName: found.authorName,
		comments: found.comments,
		canModerate: found.canModerate,
		editable,
		topics: editable ? topicOptions(db, locals.user!, reflection.moduleId) : null,
		min: MIN_CHARS,
		max: MAX_CHARS,
		flash: url.searchParams.has('submitted')
			? '已提交。'
			: url.searchParams.has('saved')
				? '草稿已保存。'
				: null
	};
};

export const actions: Actions = {
	save: async ({ params, locals, request }) => {
		const { input, submit } = reflectionInputFrom(await request.formData());
		const result = saveReflection(getDb(), locals.user!, input, submit, Number(params.id));
		if (!result.ok) return refuse(400, result.errors, input);
		redirect(303, `/reflections/${result.id}?${submit ? 'submitted' : 'saved'}=1`);
	},
	comment: async (event) => {
		const body = String((await event.request.formData()).get('comment') ?? '');
		const commented = comment(getDb(), actorOf(event), Number(event.params.id), body);
		if (!commented.ok) return refuse(400, { comment: commented.message }, { comment: body });
		return { notice: '点评已发表' };
	},
	excellent: async (event) => {
		// The form says which way explicitly; anything else is no answer, not "取消优秀".
		const value = (await event.request.formData()).get('excellent');
		if (value !== 'true' && value !== 'false') return refuse(400, '请选择评为优秀或取消优秀');
		const on = value === 'true';
		const marked = markExcellent(getDb(), actorOf(event), Number(event.params.id), on);
		if (!marked.ok) return refuse(400, marked.message);
		return { notice: on ? '已评为优秀，本单位成员都能看到' : '已取消优秀' };
	}
};
