import {
	redirect,
	error,
	type Handle,
	type HandleServerError,
	type RequestEvent,
	type ServerInit
} from '@sveltejs/kit';
import { getDb, migrateDb, type Db } from '$lib/server/db';
import { decideAccess } from '$lib/server/access';
import { SESSION_COOKIE, validateSessionToken, deleteExpiredSessions } from '$lib/server/auth/session';
import { deleteSessionCookie, setSessionCookie } from '$lib/server/auth/cookie';
import { log } from '$lib/server/log';
import { checkFormPost } from '$lib/server/form-posts';
import { withSecurityHeaders } from '$lib/server/security-headers';
import { syncContent } from '$lib/server/content/sync';
import { ContentError } from '$lib/server/content/pack';
import { finaliseOverdue } from '$lib/server/quiz/attempts';
import { finaliseOverdueExams, releaseDue } from '$lib/server/exams';
import { sendDueNotices } from '$lib/server/courses/dashboard';
import { purgeAudit } from '$lib/server/audit';
import { fillNameKeys } from '$lib/server/users/name-key';
import { runDueBackup } from '$lib/server/backups';

export const init: ServerInit = () => {
	const db = getDb();
	migrateDb(db);
	fillNameKeys(db);
	deleteExpiredSessions(db);
	try {
		log.info({ content: syncContent(db) }, 'content synced');
	} catch (e) {
		// A broken pack changes nothing; keep serving the content already in the database.
		if (!(e instanceof ContentError)) throw e;
		log.error({ problems: e.problems }, 'content pack rejected');
	}
	// The sweepers run in one process only: scripts/serve.js gives one worker XUEXI_SWEEPERS=1
	// and the others 0; a single process (vite dev, tests) has neither and runs them.
	if (process.env.XUEXI_SWEEPERS !== '0') startSweepers(db);
};

function startSweepers(db: Db): void {
	// Attempts (quizzes and exams) whose time ran out are closed with what was saved, even if nobody comes back to them.
	setInterval(() => {
		finaliseOverdue(db);
		finaliseOverdueExams(db);
		// Exam results whose release time has come (once grading is complete).
		releaseDue(db);
	}, 30_000).unref();
	// Due-soon and overdue course notices; each is sent once, so running often is harmless.
	sendDueNotices(db);
	setInterval(() => sendDueNotices(db), 15 * 60_000).unref();
	// 日志中心 keeps entries for the retention setting; older ones go once a day (the triggers allow nothing else).
	purgeAudit(db);
	setInterval(() => purgeAudit(db), 24 * 3_600_000).unref();
	// The daily backup: each minute, once BACKUP_TIME (Shanghai) has passed and nobody has claimed
	// today's, it is claimed and run (the copy yields to requests between steps). Its outcome,
	// failures included, is recorded for /admin/backups and /healthz; nothing here throws.
	const backup = () =>
		runDueBackup(db).then(
			(result) => result && log.info({ backup: result }, 'scheduled backup'),
			(e: unknown) => log.error({ err: e }, 'scheduled backup')
		);
	void backup();
	setInterval(backup, 60_000).unref();
}

export const handle: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	let status = 500;
	try {
		const response = await authenticate({ event, resolve });
		status = response.status;
		return withSecurityHeaders(response);
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

/**
 * Whether SvelteKit can decode the path (`/learn/%E0%A4%A` it cannot). For such a path it runs
 * this hook outside the try that catches what the hook throws (kit 2.70, respond.js), so the
 * login redirect or the 403 thrown below became an unhandled rejection and ended the worker
 * process. resolve() answers it instead with SvelteKit's own 400 page (in Chinese, handleError).
 */
function decodablePath(pathname: string): boolean {
	try {
		for (const part of pathname.split('%25')) decodeURI(part);
		return true;
	} catch {
		return false;
	}
}

/**
 * SvelteKit answers a redirect thrown here by the request it was given, not the one this hook
 * rewrote (asPlainFormPost), so a plain form post with `Accept: *\/*` got JSON. use:enhance
 * (x-sveltekit-action) and client-side navigation (__data.json) still get SvelteKit's JSON redirect; everything else a plain 303.
 */
function seeOther(event: RequestEvent, location: string): Response {
	if (event.isDataRequest || event.request.headers.has('x-sveltekit-action')) redirect(303, location);
	return new Response(null, { status: 303, headers: { location } });
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
			if (renewed) setSessionCookie(event.cookies, event.url, token, session.expiresAt);
			event.locals.session = session;
			event.locals.user = user;
		} else {
			deleteSessionCookie(event.cookies, event.url);
		}
	}

	if (!decodablePath(event.url.pathname)) return resolve(event);
	const decision = decideAccess(event.url.pathname, event.locals.user);
	if (decision.kind === 'login') {
		const back = event.url.pathname + event.url.search;
		return seeOther(event, `/login?redirectTo=${encodeURIComponent(back)}`);
	}
	if (decision.kind === 'change-password') return seeOther(event, '/account/password?required=1');
	if (decision.kind === 'forbidden') error(403, { message: '您没有权限访问此页面' });
	const refusal = checkFormPost(event);
	if (refusal) return refusal;
	return resolve(event);
};

// SvelteKit's own refusals (no such page or action, a method or body a page does not take)
// come here with their 4xx status and an English message: say it in Chinese, log no fault.
const CLIENT_ERRORS: Record<number, string> = {
	400: '网址或提交的内容格式不正确，请检查后重试',
	404: '页面不存在',
	405: '此页面不接受这种请求',
	413: '提交的内容太大，请删减后重新提交',
	415: '提交的数据格式不受支持，请在页面上填写表单后提交'
};

export const handleError: HandleServerError = ({ error: e, event, status }) => {
	// A URL that cannot be decoded (`/verify/%E0%A4%A`) is SvelteKit's 400 before any route runs.
	if (status === 400 && event.url.pathname.startsWith('/verify/'))
		return { message: '证书编号格式不正确，请核对证书上的编号后重新输入' };
	if (status < 500) return { message: CLIENT_ERRORS[status] ?? '请求无法处理，请返回上一页重试' };
	log.error({ err: e, path: event.url.pathname }, 'unhandled error');
	return { message: '服务器出了点问题，请稍后再试' };
};
