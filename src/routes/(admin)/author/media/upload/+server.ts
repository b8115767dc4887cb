import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { actorOf } from '$lib/server/audit';
import { fromOwnPage } from '$lib/server/form-posts';
import { authorOwner } from '$lib/server/authoring';
import { MAX_UPLOAD_BODY, UPLOAD_ERRORS, uploadMedia, type UploadErrorCode } from '$lib/server/media';
import type { RequestHandler } from './$types';

/**
 * POST multipart/form-data with the file in `file`. A form without JavaScript gets a 303 back to
 * the library (`?uploaded=<id>` or `?error=<code>`, shown beside the file field); the library's
 * uploader (XMLHttpRequest, for its progress bar) sends `X-Requested-With: XMLHttpRequest` and
 * gets JSON `{ ok, media }` or `{ ok: false, code, error }`. The body is streamed to disk
 * (uploadMedia): this path alone may send up to 501 MB (form-posts.ts, scripts/serve.js).
 */
const LIBRARY = '/author/media';

function refusal(wantsJson: boolean, code: UploadErrorCode): Response {
	const { status, message } = UPLOAD_ERRORS[code];
	if (wantsJson) return json({ ok: false, code, error: message }, { status });
	return new Response(null, { status: 303, headers: { location: `${LIBRARY}?error=${code}` } });
}

export const POST: RequestHandler = async (event) => {
	const { request, url, locals } = event;
	const wantsJson = request.headers.get('x-requested-with') === 'XMLHttpRequest';
	const owner = locals.user && authorOwner(locals.user);
	if (!owner) error(403, { message: '您没有可以上传素材的单位' });
	// SvelteKit refuses cross-site multipart posts to endpoints too, but only in a production
	// build: checked here as well, so no build or setting lets another site upload as an author.
	if (!fromOwnPage(request, url)) error(403, { message: '只能在本站的素材库页面上传文件' });
	const contentType = request.headers.get('content-type') ?? '';
	if (!/^multipart\/form-data\s*;/i.test(contentType)) return refusal(wantsJson, 'incomplete');
	// Refused from its declared length, before any of it is read.
	if (Number(request.headers.get('content-length')) > MAX_UPLOAD_BODY)
		return refusal(wantsJson, 'media_size');
	const result = await uploadMedia(getDb(), actorOf(event), owner, { contentType, body: request.body });
	if (!result.ok) return refusal(wantsJson, result.code);
	if (wantsJson) return json({ ok: true, existing: result.existing, media: result.media });
	const query = `uploaded=${result.media.id}${result.existing ? '&existing=1' : ''}`;
	return new Response(null, { status: 303, headers: { location: `${LIBRARY}?${query}` } });
};
