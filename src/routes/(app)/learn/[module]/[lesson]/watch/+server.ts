import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { fromOwnPage, isJson, jsonRefusal } from '$lib/server/form-posts';
import { reportWatch, watchedLesson } from '$lib/server/learning/watch';
import type { RequestHandler } from './$types';

/** `{ "position": 1234.5 }` and some room: anything longer is no report. */
const MAX_BODY = 256;
const tooLong = () => jsonRefusal(413, '观看进度的数据太长，请刷新页面后继续观看');

/**
 * The player of an audio/video lesson reports its position here: POST `{ position }` (seconds) as
 * JSON, also with `keepalive` as the page is hidden. The server decides what counts
 * (learning/watch.ts) and answers `{ watchedPercent, completed, position }`; a refusal is
 * `{ message }` in Chinese with 4xx. A JSON body is no form, so SvelteKit's own cross-site check
 * does not cover it and the origin is checked here.
 */
export const POST: RequestHandler = async ({ request, url, params, locals }) => {
	const user = locals.user!;
	if (!fromOwnPage(request, url)) return jsonRefusal(403, '观看进度只能由本站的课程页面记录');
	if (!isJson(request)) return jsonRefusal(415, '观看进度的格式不正确，请刷新页面后继续观看');
	const db = getDb();
	const found = watchedLesson(db, user, params.module, params.lesson);
	if (!found.ok) return jsonRefusal(found.status, found.message);
	if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY) return tooLong();
	let body: unknown;
	try {
		const text = await request.text();
		if (text.length > MAX_BODY) return tooLong();
		body = JSON.parse(text);
	} catch {
		return jsonRefusal(400, '观看进度的数据已损坏，请刷新页面后继续观看');
	}
	const result = reportWatch(db, user, found.lesson, body);
	if (!result.ok) return jsonRefusal(result.status, result.message);
	const { position, watchedPercent, completed, justCompleted, awarded, capped } = result;
	return json(
		{ position, watchedPercent, completed, justCompleted, awarded, capped },
		{ headers: { 'cache-control': 'no-store' } }
	);
};
