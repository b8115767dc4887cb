import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { fromOwnPage, isJson, jsonRefusal } from '$lib/server/form-posts';
import { ATTEMPT_NOT_FOUND, ownExamAttempt, recordLeave } from '$lib/server/exams';
import type { RequestHandler } from './$types';

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/**
 * The exam page reports here each time it is hidden (another app, a locked screen, another tab):
 * POST as JSON (`{}`, sent with keepalive) or as a form. The server counts it while the attempt
 * runs and only then (`recordLeave`); the admin sees the count, nothing else follows from it.
 * Answers `{ counted }`; a refusal is `{ message }` in Chinese. A JSON body is no form, so
 * SvelteKit's own cross-site check does not cover it: the origin is checked here for both.
 */
export const POST: RequestHandler = ({ request, url, params, locals }) => {
	if (!fromOwnPage(request, url)) return jsonRefusal(403, '离开页面的记录只能由本站的考试页面发送');
	const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
	if (!isJson(request) && !FORM_TYPES.includes(type))
		return jsonRefusal(415, '离开页面记录的格式不正确，请刷新考试页面');
	const db = getDb();
	const userId = locals.user!.id;
	const attemptId = Number(params.id);
	// Someone else's attempt looks exactly like one that does not exist.
	if (!ownExamAttempt(db, userId, attemptId)) return jsonRefusal(404, ATTEMPT_NOT_FOUND);
	// The body says nothing more than the request itself: it is not read.
	const counted = recordLeave(db, userId, attemptId, new Date());
	return json({ counted }, { headers: { 'cache-control': 'no-store' } });
};
