import { json } from '@sveltejs/kit';
import { authorOwner, lessonPreview } from '$lib/server/authoring';
import { fromOwnPage, isJson, jsonRefusal } from '$lib/server/form-posts';
import { PREVIEW_LIMIT, PREVIEW_TOO_LONG } from '$lib/lesson-editor';
import type { RequestHandler } from './$types';

/**
 * The lesson editor's live preview: POST `{ markdown }` as JSON, answered with the learners'
 * rendering (`lessonPreview`: sanitised HTML, 字数, 最短阅读时间 and what would be refused).
 * The area guard lets only authors in; a JSON body is no form, so SvelteKit's own cross-site
 * check does not cover it and the origin is checked here. Nothing is stored.
 */
export const POST: RequestHandler = async ({ request, url, locals }) => {
	if (!locals.user || !authorOwner(locals.user)) return jsonRefusal(403, '您没有权限使用预览');
	if (!fromOwnPage(request, url)) return jsonRefusal(403, '预览只能在本站的编辑页面中使用');
	if (!isJson(request)) return jsonRefusal(415, '预览请求的格式不正确，请刷新页面后重试');
	// Four bytes a character at most, and room for the JSON around it.
	const length = Number(request.headers.get('content-length') ?? 0);
	if (length > PREVIEW_LIMIT * 6 + 1024) return jsonRefusal(413, PREVIEW_TOO_LONG);
	let markdown: unknown;
	try {
		markdown = ((await request.json()) as { markdown?: unknown } | null)?.markdown;
	} catch (e) {
		if ((e as { status?: number }).status === 413) return jsonRefusal(413, PREVIEW_TOO_LONG);
		return jsonRefusal(400, '预览请求的内容已损坏，请刷新页面后重试');
	}
	if (typeof markdown !== 'string') return jsonRefusal(400, '预览请求的内容已损坏，请刷新页面后重试');
	if (markdown.length > PREVIEW_LIMIT) return jsonRefusal(413, PREVIEW_TOO_LONG);
	return json(lessonPreview(markdown), { headers: { 'cache-control': 'no-store' } });
};
