import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { getLesson, getModule, moduleLessons, sourceLabel } from '$lib/server/learning/catalog';
import { completeLesson, openLesson } from '$lib/server/learning/progress';
import type { Actions, PageServerLoad } from './$types';

function find(moduleSlug: string, lessonSlug: string) {
	const db = getDb();
	const mod = getModule(db, moduleSlug);
	const lesson = mod && getLesson(db, mod.id, lessonSlug);
	if (!mod || !lesson) error(404, { message: '没有找到这节课程，或它已下线' });
	return { db, mod, lesson };
}

export const load: PageServerLoad = ({ params, locals }) => {
	const { db, mod, lesson } = find(params.module, params.lesson);
	const user = locals.user!;
	// Reading time counts from the first time the server shows the lesson.
	const progress = openLesson(db, user.id, lesson.id);
	const list = moduleLessons(db, mod.id, user.id);
	const index = list.findIndex((l) => l.id === lesson.id);
	const link = (l: (typeof list)[number] | undefined) => l && { slug: l.slug, title: l.title };
	return {
		module: { slug: mod.slug, title: mod.title },
		lesson: {
			title: lesson.title,
			html: lesson.bodyHtml,
			source: sourceLabel(lesson),
			minReadSeconds: lesson.minReadSeconds,
			charCount: lesson.charCount
		},
		position: { index: index + 1, total: list.length },
		done: progress.completedAt !== null,
		secondsLeft: Math.max(
			0,
			Math.ceil((progress.openedAt.getTime() + lesson.minReadSeconds * 1000 - Date.now()) / 1000)
		),
		prev: link(list[index - 1]),
		next: link(list[index + 1]),
		allDone: list.every((l) => l.done)
	};
};

export const actions: Actions = {
	complete: ({ params, locals }) => {
		const { db, lesson } = find(params.module, params.lesson);
		const result = completeLesson(db, locals.user!, lesson.id);
		if (!result.ok && result.reason === 'too-early') {
			// The page's countdown takes the seconds left from its reloaded data.
			return refuse(
				400,
				`还不能完成：本节需要阅读满 ${lesson.minReadSeconds} 秒，还需阅读 ${result.secondsLeft} 秒。`
			);
		}
		if (!result.ok) error(404, { message: '没有找到这节课程，或它已下线' });
		return {
			completed: true,
			awarded: result.awarded,
			capped: result.capped,
			alreadyDone: result.alreadyDone
		};
	}
};
