import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { lessonFields, lessonPreview, type Draft, type Fields, type LessonDoc } from '$lib/server/authoring';
import { mediaOptions } from '$lib/server/media';
import { PREVIEW_LIMIT, PREVIEW_TOO_LONG, type MediaItem } from '$lib/lesson-editor';
import { ownerOf } from '../../author.server';

/** Shared by the new-lesson and edit-lesson pages: the scoped lesson, what the editor shows, 预览. */

export const LESSON_NOT_FOUND = '没有找到这个课时，或不在您的管理范围内';

export function lessonOf(draft: { doc: { lessons: LessonDoc[] } }, key: string): LessonDoc {
	const lesson = draft.doc.lessons.find((l) => l.key === key);
	if (!lesson) error(404, { message: LESSON_NOT_FOUND });
	return lesson;
}

/** A new lesson is a text lesson with nothing typed (saveLesson's field names). */
const NEW_LESSON: Fields = {
	title: '',
	kind: 'text',
	body: '',
	mediaId: '',
	sourcePart: '',
	sourceHeading: '',
	sourceSection: '',
	sourceParagraph: ''
};

const previewOf = (body: string) => (body.trim() ? lessonPreview(body) : null);

/** What the lesson editor starts from (LessonEditor's `data`): the module, its media, the lesson's fields and preview. */
export function editorData(locals: App.Locals, draft: Draft, lesson: LessonDoc | null) {
	const owner = ownerOf(locals);
	const items = (kind: 'image' | 'pdf' | 'video' | 'audio'): MediaItem[] =>
		mediaOptions(getDb(), owner, kind).map((m) => ({ id: m.id, name: m.fileName }));
	return {
		draft: {
			id: draft.id,
			title: draft.doc.title,
			status: draft.status,
			// 待审核: the reviewer looks at exactly this; it is recalled to be changed.
			readOnly: draft.status === 'submitted'
		},
		media: { image: items('image'), pdf: items('pdf'), video: items('video'), audio: items('audio') },
		values: lesson ? lessonFields(lesson) : NEW_LESSON,
		preview: previewOf(lesson?.body ?? '')
	};
}

/** 预览 without JavaScript: the page again, with the typed text kept and rendered. */
export function previewPosted(values: Fields) {
	const body = values.body ?? '';
	if (body.length > PREVIEW_LIMIT) return refuse(400, { body: PREVIEW_TOO_LONG }, values);
	return { values, preview: previewOf(body) };
}
