import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import {
	bankItemStats,
	ITEM_FLAG_LABELS,
	objectiveCount,
	questionWarnings,
	removeQuestion,
	rubricTotal,
	type BankItemStat
} from '$lib/server/authoring';
import { draftOf } from '../../author.server';
import { draftSummary, lessonChoices, QUESTION_NOT_FOUND } from './question.server';
import type { Actions, PageServerLoad } from './$types';

const TYPES = ['single', 'multiple', 'truefalse', 'fill', 'essay'];
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
	const stats = bankItemStats(
		getDb(),
		draft.owner,
		draft.id,
		draft.doc.questions.map((q) => q.key)
	);
	const all = draft.doc.questions.map((q, i) => ({
		key: q.key,
		number: i + 1,
		type: q.type,
		stem: excerpt(q.stem),
		lessonKey: q.lessonKey,
		lessonTitle: titles.get(q.lessonKey) ?? '（课时已删除）',
		difficulty: q.difficulty,
		rubricTotal: rubricTotal(q),
		stat: statOf(stats.get(q.key)),
		warnings: questionWarnings(q, draft.doc.quiz.shuffle_options)
	}));
	return {
		draft: draftSummary(draft),
		lessons,
		filter: { lesson, type },
		total: all.length,
		objective: objectiveCount(draft.doc),
		draw: draft.doc.quiz.draw,
		warned: all.filter((q) => q.warnings.length).length,
		questions: all.filter((q) => (!lesson || q.lessonKey === lesson) && (!type || q.type === type))
	};
};

/** The latest exam's analysis as the list shows it: p and D to two decimals, flags in Chinese. */
function statOf(stat: BankItemStat | undefined) {
	if (!stat) return null;
	return {
		examTitle: stat.examTitle,
		responses: stat.responses,
		difficulty: stat.difficulty.toFixed(2),
		discrimination: stat.discrimination === null ? null : stat.discrimination.toFixed(2),
		flags: stat.flags.map((f) => ITEM_FLAG_LABELS[f])
	};
}

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
