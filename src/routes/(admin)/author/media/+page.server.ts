import { getDb } from '$lib/server/db';
import { pageParam } from '$lib/server/paging';
import {
	isUploadErrorCode,
	markdownSnippet,
	mediaLibrary,
	ownedMedia,
	MEDIA_LIMITS,
	UPLOAD_ERRORS
} from '$lib/server/media';
import { ownerOf } from '../author.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const owner = ownerOf(locals);
	const db = getDb();
	const params = url.searchParams;
	const sort = params.get('sort') === 'name' ? 'name' : 'newest';
	const library = mediaLibrary(db, owner, { page: pageParam(params), sort });
	// The result of a plain form upload (upload/+server.ts redirects here with it).
	const uploadedId = Number(params.get('uploaded'));
	const uploaded =
		Number.isSafeInteger(uploadedId) && uploadedId > 0 ? ownedMedia(db, owner, uploadedId) : undefined;
	const code = params.get('error');
	return {
		library,
		uploaded: uploaded ? { ...uploaded, snippet: markdownSnippet(uploaded) } : null,
		existing: params.get('existing') === '1',
		uploadError: isUploadErrorCode(code) ? UPLOAD_ERRORS[code].message : null,
		// For the uploader's own check before sending (the server decides again by content).
		limits: {
			image: MEDIA_LIMITS.image,
			pdf: MEDIA_LIMITS.pdf,
			media: MEDIA_LIMITS.video,
			messages: {
				image: UPLOAD_ERRORS.image_size.message,
				pdf: UPLOAD_ERRORS.pdf_size.message,
				media: UPLOAD_ERRORS.media_size.message,
				empty: UPLOAD_ERRORS.empty.message,
				incomplete: UPLOAD_ERRORS.incomplete.message
			}
		}
	};
};
