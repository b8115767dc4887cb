import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { questionWarnings, removeQuestion } from '$lib/server/authoring';
import { draftOf } from '../../author.server';
import { draftSummary, lessonChoices, QUESTION_NOT_FOUND } from './question.server';
import type { Actions, PageServerLoad } from './$types';

const TYPES = ['single', 'multiple', 'truefalse', 'fill'];
const excerpt = (text: string) => (text.length > 60 ? text.slice(0, 60) + '…' : text);

export const load: PageServerLoad = (event) => {
	const draft = draftOf(event);
	const url = event.url;
	const lessons = lessonChoices(draft);
	const lessonFilter = url.searchParams.get('lesson') ?? '';
	const typeFilter = url.searchParams.get('type') ?? '';
	const lesson = lessons.some((l) => l.key === lessonFilter) ? lessonFilter : '';
	const type = TYPES.includes(typeFilter) ? typeFilter : '';
	const titles = new Map(lessons.map((l, i) => [l.key, `第 ${i + 1} 课 ${l.title}`]));
	const all = draft.doc.questions.map((q, i) => ({
		key: q.key,
		number: i + 1,
		type: q.type,
		stem: excerpt(q.stem),
		lessonKey: q.lessonKey,
		lessonTitle: titles.get(q.lessonKey) ?? '（课时已删除）',
		difficulty: q.difficulty,
		warnings: questionWarnings(q, draft.doc.quiz.shuffle_options)
	}));
	return {
		draft: draftSummary(draft),
		lessons,
		filter: { lesson, type },
		total: all.length,
		draw: draft.doc.quiz.draw,
		warned: all.filter((q) => q.warnings.length).length,
		questions: all.filter((q) => (!lesson || q.lessonKey === lesson) && (!type || q.type === type))
	};
};

export const actions: Actions = {
	remove: async (event) => {
		const key = String((await event.request.formData()).get('key') ?? '');
		const draft = draftOf(event);
		if (!/^q\d{1,6}$/.test(key)) return refuse(404, QUESTION_NOT_FOUND);
		const result = removeQuestion(getDb(), actorOf(event), draft.id, key);
		if (!result.ok) return refuse(400, result.errors);
		return { notice: '题目已删除' };
	}
};
