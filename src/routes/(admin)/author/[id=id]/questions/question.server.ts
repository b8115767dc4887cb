import { error } from '@sveltejs/kit';
import { formFields } from '$lib/server/validation';
import { questionFields, type Draft, type Fields, type QuestionDoc } from '$lib/server/authoring';

/** Shared by the question bank's pages: the scoped question, what the form shows, the posted form. */

export const QUESTION_NOT_FOUND = '没有找到这道题目，或不在您的管理范围内';

export function questionOf(draft: { doc: { questions: QuestionDoc[] } }, key: string): QuestionDoc {
	const question = draft.doc.questions.find((q) => q.key === key);
	if (!question) error(404, { message: QUESTION_NOT_FOUND });
	return question;
}

export function lessonChoices(draft: { doc: { lessons: { key: string; title: string }[] } }) {
	return draft.doc.lessons.map((l) => ({ key: l.key, title: l.title }));
}

/** The draft as the bank's pages show it (read-only while it awaits review). */
export function draftSummary(draft: Draft) {
	return { id: draft.id, title: draft.doc.title, readOnly: draft.status === 'submitted' };
}

/**
 * What the question form starts from (QuestionForm's `data`): saveQuestion's field names; a new
 * question is single choice, of `lessonKey` when it names a lesson of the draft.
 */
export function questionData(draft: Draft, question: QuestionDoc | null, lessonKey = '') {
	const lessons = lessonChoices(draft);
	const lesson = lessons.some((l) => l.key === lessonKey) ? lessonKey : '';
	return {
		draft: draftSummary(draft),
		lessons,
		shuffleOptions: draft.doc.quiz.shuffle_options,
		values: question ? questionFields(question) : { type: 'single', difficulty: '2', lessonKey: lesson }
	};
}

/**
 * The posted question: trimmed fields, with every ticked `correct` option (a multiple-choice
 * question sends several) joined by ',' as saveQuestion reads them.
 */
export async function postedQuestion(request: Request): Promise<Fields> {
	const form = await request.formData();
	const correct = form
		.getAll('correct')
		.filter((v): v is string => typeof v === 'string')
		.map((v) => v.trim())
		.filter(Boolean);
	return { ...formFields(form), correct: correct.join(',') };
}
