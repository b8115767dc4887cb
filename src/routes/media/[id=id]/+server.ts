import { error, type RequestEvent } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { log } from '$lib/server/log';
import { fetchableMedia, mediaResponse, MEDIA_NOT_FOUND } from '$lib/server/media';
import type { RequestHandler } from './$types';

/**
 * A media file of an authored lesson (`/media/<id>`; `?download=1` saves it as a file), with
 * Range for seeking: only to an author of its owner or someone who may see a live lesson using
 * it (fetchableMedia); anyone else gets the same 404 as for a file that does not exist.
 */
async function serve({ params, request, url, locals }: RequestEvent<{ id: string }>, headOnly: boolean) {
	const item = fetchableMedia(getDb(), locals.user!, Number(params.id));
	if (!item) error(404, { message: MEDIA_NOT_FOUND });
	const download = url.searchParams.get('download') === '1';
	const response = await mediaResponse(item, request, { download, headOnly });
	if (!response) {
		// A row without its file: the media directory was moved or restored without it.
		log.error({ media: item.id, sha256: item.sha256 }, 'media file missing on disk');
		error(404, { message: MEDIA_NOT_FOUND });
	}
	return response;
}

export const GET: RequestHandler = (event) => serve(event, false);
export const HEAD: RequestHandler = (event) => serve(event, true);
