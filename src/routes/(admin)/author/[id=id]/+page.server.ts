import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { formFields } from '$lib/server/validation';
import {
	moduleFields,
	moveLesson,
	objectiveCount,
	questionWarnings,
	recallDraft,
	removeLesson,
	reorderLessons,
	saveModuleFields,
	submitDraft,
	themeOptions,
	withdrawModule
} from '$lib/server/authoring';
import { addTheme, draftOf, ownerOf } from '../author.server';
import type { Actions, PageServerLoad } from './$types';

/** A lesson key as posted (the draft gives short ones, `l12`); anything else is no lesson. */
function lessonKey(value: FormDataEntryValue | null): string | null {
	return typeof value === 'string' && /^[A-Za-z0-9_-]{1,40}$/.test(value) ? value : null;
}

export const load: PageServerLoad = (event) => {
	const draft = draftOf(event);
	const owner = ownerOf(event.locals);
	const { doc } = draft;
	const url = event.url;
	return {
		draft: {
			id: draft.id,
			title: doc.title,
			ownerName: draft.ownerName,
			status: draft.status,
			version: draft.version,
			moduleSlug: draft.moduleSlug,
			withdrawnAt: draft.withdrawnAt,
			submittedAt: draft.submittedAt,
			submittedByName: draft.submittedByName,
			reviewComment: draft.reviewComment,
			reviewedByName: draft.reviewedByName,
			updatedAt: draft.updatedAt,
			updatedByName: draft.updatedByName,
			singleAdmin: draft.singleAdmin
		},
		fields: moduleFields(doc),
		lessons: doc.lessons.map((l) => ({
			key: l.key,
			title: l.title,
			kind: l.kind,
			questions: doc.questions.filter((q) => q.lessonKey === l.key).length
		})),
		questions: {
			count: doc.questions.length,
			// The module quiz draws these only: 简答题 are for exams.
			objective: objectiveCount(doc),
			warnings: doc.questions.filter((q) => questionWarnings(q).length > 0).length,
			draw: doc.quiz.draw
		},
		themes: themeOptions(getDb(), owner),
		isSchool: owner.kind === 'school',
		notice: url.searchParams.has('created')
			? '模块已创建。下一步：添加课时和题目，写好后提交审核。'
			: url.searchParams.has('copied')
				? '已复制为您的草稿。修改后提交审核，发布后与原模块并存。'
				: url.searchParams.has('restored')
					? `已将 v${url.searchParams.get('restored')} 恢复为草稿。检查无误后提交审核，发布后学员才会看到。`
					: url.searchParams.has('published')
						? `已发布 v${url.searchParams.get('published')}，学员现在看到的就是这一版。`
						: null
	};
};

export const actions: Actions = {
	save: async (event) => {
		const draft = draftOf(event);
		const values = formFields(await event.request.formData());
		const result = saveModuleFields(getDb(), actorOf(event), draft.id, values);
		if (!result.ok) return refuse(400, result.errors, values);
		return { notice: '模块信息已保存' };
	},
	theme: async (event) => {
		draftOf(event);
		return addTheme(event, '；点“保存模块信息”后生效');
	},
	move: async (event) => {
		const draft = draftOf(event);
		const form = await event.request.formData();
		const key = lessonKey(form.get('key'));
		const direction = form.get('direction');
		if (!key || (direction !== 'up' && direction !== 'down'))
			return refuse(400, '请选择要移动的课时和方向', { intent: 'lessons' });
		const result = moveLesson(getDb(), actorOf(event), draft.id, key, direction);
		if (!result.ok) return refuse(400, result.errors, { intent: 'lessons' });
		return { notice: direction === 'up' ? '已上移' : '已下移' };
	},
	reorder: async (event) => {
		const draft = draftOf(event);
		const order = formFields(await event.request.formData()).order ?? '';
		const keys = order.split(',').map((k) => lessonKey(k.trim()));
		if (!order || keys.some((k) => k === null))
			return refuse(400, '课时顺序有误，请刷新页面后重试', { intent: 'lessons' });
		const result = reorderLessons(getDb(), actorOf(event), draft.id, keys as string[]);
		if (!result.ok) return refuse(400, result.errors, { intent: 'lessons' });
		return { notice: '课时顺序已保存' };
	},
	remove: async (event) => {
		const draft = draftOf(event);
		const form = await event.request.formData();
		const key = lessonKey(form.get('key'));
		if (!key) return refuse(400, '请选择要删除的课时', { intent: 'lessons' });
		if (form.get('confirm') !== '1') return refuse(400, '请确认删除这一课时', { intent: 'lessons' });
		const title = draft.doc.lessons.find((l) => l.key === key)?.title;
		const result = removeLesson(getDb(), actorOf(event), draft.id, key);
		if (!result.ok) return refuse(400, result.errors, { intent: 'lessons' });
		return { notice: `已删除课时“${title ?? ''}”` };
	},
	submit: async (event) => {
		const draft = draftOf(event);
		const result = submitDraft(getDb(), actorOf(event), draft.id);
		if (!result.ok) return refuse(400, result.errors, { intent: 'status' });
		return {
			notice: draft.singleAdmin
				? '已提交审核。本单位只有您一位管理员，可以在审核页自行审核发布。'
				: '已提交审核，等待本单位另一位管理员审核。'
		};
	},
	recall: async (event) => {
		const draft = draftOf(event);
		const result = recallDraft(getDb(), actorOf(event), draft.id);
		if (!result.ok) return refuse(400, result.errors, { intent: 'status' });
		return { notice: '已撤回提交，可以继续修改。' };
	},
	withdraw: async (event) => {
		const draft = draftOf(event);
		const confirmed = (await event.request.formData()).get('confirm') === '1';
		const result = withdrawModule(getDb(), actorOf(event), draft.id, confirmed);
		if (!result.ok)
			return refuse(409, result.errors, {
				intent: 'withdraw',
				courses: 'courses' in result ? result.courses : []
			});
		redirect(303, '/author?withdrawn=1');
	}
};
