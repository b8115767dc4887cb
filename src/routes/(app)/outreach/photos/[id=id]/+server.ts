import { error, type RequestEvent } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { log } from '$lib/server/log';
import { photoResponse, PHOTO_NOT_FOUND, photoForViewer } from '$lib/server/outreach';
import type { RequestHandler } from './$types';

/**
 * A 宣讲 talk's photo (`?size=thumb` for its 480 px thumbnail): only to whoever may see the talk
 * (photoForViewer); anyone else gets the same 404 as for a photo that does not exist.
 */
async function serve({ params, request, url, locals }: RequestEvent<{ id: string }>, headOnly: boolean) {
	const photo = photoForViewer(getDb(), locals.user!, Number(params.id));
	if (!photo) error(404, { message: PHOTO_NOT_FOUND });
	const thumb = url.searchParams.get('size') === 'thumb';
	const response = await photoResponse(photo, request, { thumb, headOnly });
	if (!response) {
		// A row without its file: the media directory was moved or restored without it.
		log.error({ photo: Number(params.id), thumb }, 'outreach photo file missing on disk');
		error(404, { message: PHOTO_NOT_FOUND });
	}
	return response;
}

export const GET: RequestHandler = (event) => serve(event, false);
export const HEAD: RequestHandler = (event) => serve(event, true);
