import {
	minReadSeconds,
	plainTextOf,
	readingLength,
	renderMarkdown,
	unsafeMarkdown
} from '../content/render';
import type { ModuleDoc } from './doc';
import { LIMITS } from './validate';
import type { LessonPreview, RenderedModule } from '../../authoring';

/*
 * What learners get, computed the way they get it: the same renderer and sanitiser, the same
 * reading-time rule. The editor's live preview, the reviewer's phone frame and publishing all
 * go through here.
 */

/** A lesson's Markdown as learners get it: safe HTML, its readable text and reading figures. */
export function lessonFigures(markdown: string) {
	const html = renderMarkdown(markdown);
	const plainText = plainTextOf(html);
	const charCount = readingLength(plainText);
	return { html, plainText, charCount, minReadSeconds: minReadSeconds(charCount) };
}

/** The preview of lesson Markdown, through the learners' renderer: html, reading figures, and what would be refused. */
export function lessonPreview(markdown: string): LessonPreview {
	const tooLong = markdown.length > LIMITS.body;
	const text = tooLong ? markdown.slice(0, LIMITS.body) : markdown;
	const { html, charCount, minReadSeconds } = lessonFigures(text);
	const problem = tooLong
		? `正文不能超过 ${LIMITS.body.toLocaleString('en-US')} 个字`
		: unsafeMarkdown(markdown);
	return { html, charCount, minReadSeconds, problem };
}

export function renderDoc(doc: ModuleDoc): RenderedModule {
	return {
		title: doc.title,
		summary: doc.summary,
		introHtml: renderMarkdown(doc.intro),
		lessons: doc.lessons.map((lesson) => {
			const figures = lessonFigures(lesson.body);
			return {
				key: lesson.key,
				title: lesson.title,
				kind: lesson.kind,
				html: figures.html,
				mediaId: lesson.mediaId,
				minReadSeconds: figures.minReadSeconds
			};
		}),
		questionCount: doc.questions.length
	};
}
