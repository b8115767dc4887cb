import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { findLesson, moduleLessons, sourceLabel, type Viewer } from '$lib/server/learning/catalog';
import { completeLesson, openLesson } from '$lib/server/learning/progress';
import { LESSON_NOT_FOUND, lessonPlayer } from '$lib/server/learning/watch';
import { bookmarkedLessons, notesOnLesson } from '$lib/server/notes';
import { lessonSourceHref } from '$lib/server/report';
import type { Actions, PageServerLoad } from './$types';

function find(moduleSlug: string, lessonSlug: string, viewer: Viewer) {
	const db = getDb();
	// A lesson outside the user's audience is as missing as an archived one.
	const found = findLesson(db, viewer, moduleSlug, lessonSlug);
	if (!found) error(404, { message: LESSON_NOT_FOUND });
	return { db, mod: found.module, lesson: found.lesson };
}

export const load: PageServerLoad = ({ params, locals }) => {
	const user = locals.user!;
	const { db, mod, lesson } = find(params.module, params.lesson, user);
	// Reading time counts from the first time the server shows the lesson.
	const progress = openLesson(db, user.id, lesson.id);
	const list = moduleLessons(db, mod.id, user.id);
	const index = list.findIndex((l) => l.id === lesson.id);
	const link = (l: (typeof list)[number] | undefined) => l && { slug: l.slug, title: l.title };
	return {
		module: { slug: mod.slug, title: mod.title },
		lesson: {
			id: lesson.id,
			slug: lesson.slug,
			title: lesson.title,
			html: lesson.bodyHtml,
			source: sourceLabel(lesson),
			// The paragraph in the 原文 reader, highlighted (null: supplementary, or no paragraph named).
			sourceHref: lessonSourceHref(lesson),
			minReadSeconds: lesson.minReadSeconds,
			charCount: lesson.charCount
		},
		position: { index: index + 1, total: list.length },
		player: lessonPlayer(db, user.id, lesson),
		done: progress.completedAt !== null,
		secondsLeft: Math.max(
			0,
			Math.ceil((progress.openedAt.getTime() + lesson.minReadSeconds * 1000 - Date.now()) / 1000)
		),
		prev: link(list[index - 1]),
		next: link(list[index + 1]),
		allDone: list.every((l) => l.done),
		// 收藏 and 笔记 of this lesson (the user's own).
		bookmarked: bookmarkedLessons(db, user.id).has(lesson.id),
		notes: notesOnLesson(db, user.id, lesson.id)
	};
};

export const actions: Actions = {
	complete: ({ params, locals }) => {
		const { db, lesson } = find(params.module, params.lesson, locals.user!);
		const result = completeLesson(db, locals.user!, lesson.id);
		if (!result.ok && result.reason === 'watch')
			return refuse(400, '本节是音视频课程：观看满 90% 后自动完成，无需点“完成本节”。');
		if (!result.ok && result.reason === 'too-early') {
			// The page's countdown takes the seconds left from its reloaded data.
			return refuse(
				400,
				`还不能完成：本节需要阅读满 ${lesson.minReadSeconds} 秒，还需阅读 ${result.secondsLeft} 秒。`
			);
		}
		if (!result.ok) error(404, { message: LESSON_NOT_FOUND });
		return {
			completed: true,
			awarded: result.awarded,
			capped: result.capped,
			alreadyDone: result.alreadyDone
		};
	}
};
