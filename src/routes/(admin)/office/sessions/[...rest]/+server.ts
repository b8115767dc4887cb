import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

const OLD = '/office/sessions';

/**
 * 集中学习 moved from /office/sessions to /office/study-sessions: old links and bookmarks keep
 * working. 308 keeps the method, so a form posted from a page still open goes through too.
 */
const moved: RequestHandler = ({ url }) =>
	redirect(308, `/office/study-sessions${url.pathname.slice(OLD.length)}${url.search}`);

export const GET = moved;
export const fallback = moved;
