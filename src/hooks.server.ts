import { redirect, error, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { getDb, migrateDb } from '$lib/server/db';
import { decideAccess } from '$lib/server/access';
import { SESSION_COOKIE, validateSessionToken, deleteExpiredSessions } from '$lib/server/auth/session';
import { deleteSessionCookie, setSessionCookie } from '$lib/server/auth/cookie';
import { log } from '$lib/server/log';
import { syncContent } from '$lib/server/content/sync';
import { ContentError } from '$lib/server/content/pack';
import { finaliseOverdue } from '$lib/server/quiz/attempts';
import { sendDueNotices } from '$lib/server/courses/dashboard';

export const init: ServerInit = () => {
	const db = getDb();
	migrateDb(db);
	deleteExpiredSessions(db);
	try {
		log.info({ content: syncContent(db) }, 'content synced');
	} catch (e) {
		// A broken pack changes nothing; keep serving the content already in the database.
		if (!(e instanceof ContentError)) throw e;
		log.error({ problems: e.problems }, 'content pack rejected');
	}
	// Attempts whose time ran out are closed with what was saved, even if nobody comes back to them.
	setInterval(() => finaliseOverdue(db), 30_000).unref();
	// Due-soon and overdue course notices; each is sent once, so running often is harmless.
	sendDueNotices(db);
	setInterval(() => sendDueNotices(db), 15 * 60_000).unref();
};

export const handle: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	let status = 500;
	try {
		const response = await authenticate({ event, resolve });
		status = response.status;
		return response;
	} catch (e) {
		// redirect() and error() are thrown; record what they send.
		status = (e as { status?: number }).status ?? 500;
		throw e;
	} finally {
		if (log.isLevelEnabled('info')) {
			log.info({
				method: event.request.method,
				path: event.url.pathname,
				status,
				duration_ms: Math.round((performance.now() - started) * 10) / 10,
				user: event.locals.user?.id
			});
		}
	}
};

/**
 * A form POST without SvelteKit's enhance header is a plain HTML form submission:
 * answer it like one (303 redirects, HTML pages) even when the client's Accept
 * header is a bare *\/* (curl, scripts), instead of the JSON meant for use:enhance.
 */
function asPlainFormPost(request: Request): Request {
	if (request.method !== 'POST' || request.headers.has('x-sveltekit-action')) return request;
	const accept = request.headers.get('accept') ?? '';
	if (accept.includes('text/html')) return request;
	const headers = new Headers(request.headers);
	headers.set('accept', 'text/html');
	return new Request(request, { headers, duplex: 'half' } as RequestInit);
}

const authenticate: Handle = async ({ event, resolve }) => {
	event.request = asPlainFormPost(event.request);
	const token = event.cookies.get(SESSION_COOKIE);
	event.locals.user = null;
	event.locals.session = null;
	if (token) {
		const { session, user, renewed } = validateSessionToken(getDb(), token);
		if (session) {
			// The cookie is re-sent only when the sliding expiry moved (at most daily).
			if (renewed) setSessionCookie(event.cookies, token, session.expiresAt);
			event.locals.session = session;
			event.locals.user = user;
		} else {
			deleteSessionCookie(event.cookies);
		}
	}

	const decision = decideAccess(event.url.pathname, event.locals.user);
	if (decision.kind === 'login') {
		const back = event.url.pathname + event.url.search;
		redirect(303, `/login?redirectTo=${encodeURIComponent(back)}`);
	}
	if (decision.kind === 'change-password') redirect(303, '/account/password?required=1');
	if (decision.kind === 'forbidden') error(403, { message: '您没有权限访问此页面' });
	return resolve(event);
};

export const handleError: HandleServerError = ({ error: e, event, status }) => {
	if (status !== 404) log.error({ err: e, path: event.url.pathname }, 'unhandled error');
	return { message: status === 404 ? '页面不存在' : '服务器出了点问题，请稍后再试' };
};
