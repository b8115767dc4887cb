import { error, json, type RequestEvent } from '@sveltejs/kit';
import { OUTREACH_LIMITS } from '../outreach';
import { MEDIA_UPLOAD_PATH } from './media/limits';

/**
 * Every POST in this app is a form action. SvelteKit hands an action any body it counts as a
 * form (text/plain too), and the action's `request.formData()` threw on text/plain, a broken
 * multipart body, one over the size limit or (after our own decoding, below) a malformed
 * percent-encoding: a 500 for what is the sender's mistake. Here a body that cannot be a form is
 * refused before the action runs, and `request.formData()` is replaced by a reader that refuses
 * a body it cannot read with a Chinese 400/413 (an HttpError, so the page's error view or
 * use:enhance's error result shows it, and an action may catch it to say it beside its field).
 */
const READABLE = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** What SvelteKit routes to a form action although `formData()` cannot read it. */
const UNREADABLE = ['text/plain', 'application/x-sveltekit-formdata'];

const MESSAGES = {
	400: '提交的表单数据不完整或已损坏，请刷新页面后重新提交',
	404: '没有这个操作，请刷新页面后重试',
	413: '提交的内容太大，请删减后重新提交',
	415: '提交的数据格式不受支持，请在页面上填写表单后提交'
} as const;

/**
 * Invisible characters nobody types into a form: C0/C1 controls other than tab and line breaks
 * (a NUL ends a string in many tools) and the bidirectional overrides and isolates that make a
 * name display reversed (U+202E). They arrive only by pasting or by attack and are dropped;
 * U+2028/U+2029 are line breaks and become one. Text left empty is then refused by the form's
 * own "请填写…" check, beside its field.
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const LINE_SEPARATORS = /[\u2028\u2029]/g;

/** A form value without the invisible characters above (readTalkForm reads its own body, and cleans it so). */
export function cleanText(value: string): string {
	return value.replace(INVISIBLE, '').replace(LINE_SEPARATORS, '\n');
}

function cleanForm(form: FormData): FormData {
	const out = new FormData();
	for (const [key, value] of form)
		out.append(cleanText(key), typeof value === 'string' ? cleanText(value) : value);
	return out;
}

function mediaType(request: Request): string {
	return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * The POSTs that are no form action — the lesson editor's live preview and the players' watch
 * reports (JSON by fetch), the media library's uploads (multipart by XMLHttpRequest) — go to
 * endpoints, which take them only from a page of this site: browsers send Origin with every POST
 * a script makes, and another site's page cannot forge it.
 */
export function fromOwnPage(request: Request, url: URL): boolean {
	const site = request.headers.get('sec-fetch-site');
	return request.headers.get('origin') === url.origin && (site === null || site === 'same-origin');
}

/** Whether the body is JSON (`application/json`, with any parameters). */
export function isJson(request: Request): boolean {
	return mediaType(request) === 'application/json';
}

/** A JSON endpoint's refusal: `{ message }` in Chinese, never cached. */
export function jsonRefusal(status: number, message: string): Response {
	return json({ message }, { status, headers: { 'cache-control': 'no-store' } });
}

/** The action named by `?/name`, as SvelteKit finds it. */
function actionName(url: URL): string | null {
	for (const [key] of url.searchParams) if (key.startsWith('/')) return key.slice(1);
	return null;
}

function refuse(event: RequestEvent, status: keyof typeof MESSAGES): Response {
	const message = MESSAGES[status];
	// use:enhance expects an action result; a plain form post gets the Chinese error page.
	if (event.request.headers.has('x-sveltekit-action'))
		return json({ type: 'error', error: { message } }, { status });
	error(status, { message });
}

// URLSearchParams would turn `%E0%A4%A` or a lone `%` into U+FFFD or a literal `%` and store it.
const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));

async function parse(request: Request, type: string): Promise<FormData> {
	// The platform's own reader: request.formData is replaced below.
	if (type !== READABLE[0]) return Request.prototype.formData.call(request);
	const form = new FormData();
	for (const pair of (await request.text()).split('&')) {
		if (!pair) continue;
		const at = pair.indexOf('=');
		form.append(decode(at < 0 ? pair : pair.slice(0, at)), at < 0 ? '' : decode(pair.slice(at + 1)));
	}
	return form;
}

/** The form of a request, read once, cleaned; a body that is no readable form is a Chinese 400 (413 if too big). */
async function readForm(request: Request, type: string): Promise<FormData> {
	let form: FormData;
	try {
		form = await parse(request, type);
	} catch (e) {
		// adapter-node's body size limit errors the body stream with status 413.
		const status = (e as { status?: number }).status === 413 ? 413 : 400;
		error(status, { message: MESSAGES[status] });
	}
	return cleanForm(form);
}

/**
 * The largest request body of the app but media uploads and the talk form. adapter-node has one
 * BODY_SIZE_LIMIT for every request, and media uploads need 501 MB (scripts/serve.js sets that);
 * every other body is held to 8 MB here, as adapter-node would: reading past it fails with status
 * 413, which the form reader above turns into the Chinese 413 (or an action catches to say it
 * beside its field). The upload endpoint checks its own limits per kind while it streams the file
 * to disk.
 */
export const BODY_LIMIT = 8 * 1024 * 1024;

/** The talk form's pages (新建, 修改 of a 宣讲 talk), whose form carries up to 9 photos. */
const TALK_FORM_PATH = /^\/outreach\/(?:new|[1-9]\d*\/edit)$/;

/**
 * The largest body of the talk form: 9 photos of 10 MB, 64 KB of fields and 1 MB for the
 * multipart boundaries and part headers. Its action reads it with readTalkForm
 * (outreach/photos.ts), which checks each photo's type and size while streaming it to disk;
 * this cap only bounds what any reader of those paths may be sent.
 */
export const TALK_BODY_LIMIT = OUTREACH_LIMITS.photos * OUTREACH_LIMITS.photoBytes + 64 * 1024 + 1024 * 1024;

function tooLarge(limit: number): Error {
	return Object.assign(new Error(`request body over ${limit} bytes`), { status: 413 });
}

/**
 * The body as a stream that errors with status 413 past the limit. The client's stream is then
 * left unread, not cancelled: cancelling destroys the connection before the answer is sent, and
 * Node discards what is left of a body once the response ends.
 */
function capped(
	body: ReadableStream<Uint8Array>,
	declared: number,
	limit: number
): ReadableStream<Uint8Array> {
	let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
	let read = 0;
	return new ReadableStream<Uint8Array>(
		{
			async pull(controller) {
				// A declared length over the limit is refused before a byte is read.
				if (declared > limit) return controller.error(tooLarge(limit));
				reader ??= body.getReader();
				const { done, value } = await reader.read();
				if (done) return controller.close();
				read += value.byteLength;
				if (read > limit) return controller.error(tooLarge(limit));
				controller.enqueue(value);
			},
			cancel(reason) {
				return (reader ?? body).cancel(reason);
			}
		},
		{ highWaterMark: 0 }
	);
}

/** Holds every request body but a media upload's to BODY_LIMIT, a talk form's to TALK_BODY_LIMIT (see above). */
function limitBody(event: RequestEvent): void {
	const { request } = event;
	const path = event.url.pathname;
	if (!request.body || path === MEDIA_UPLOAD_PATH) return;
	const limit = TALK_FORM_PATH.test(path) ? TALK_BODY_LIMIT : BODY_LIMIT;
	const declared = Number(request.headers.get('content-length') ?? NaN);
	// adapter-node ends a body at its declared length: a length within the limit needs no count.
	if (Number.isFinite(declared) && declared <= limit) return;
	event.request = new Request(request, {
		body: capped(request.body, Number.isFinite(declared) ? declared : 0, limit),
		duplex: 'half'
	} as RequestInit);
}

/**
 * Checks a request before its route runs: holds its body to BODY_LIMIT, and for a form post
 * returns the refusal, or null to go on with `request.formData()` reading as above. Call it
 * (for every request) after the access guard.
 */
export function checkFormPost(event: RequestEvent): Response | null {
	limitBody(event);
	const { request } = event;
	if (request.method !== 'POST') return null;
	// SvelteKit answers `?/default` and names like `?/constructor` (found on every object) with a 500.
	const name = actionName(event.url);
	if (name !== null && (name === 'default' || name in Object.prototype)) return refuse(event, 404);
	const type = mediaType(request);
	if (UNREADABLE.includes(type)) return refuse(event, 415);
	// Other bodies are no form: SvelteKit refuses them (415) before any action runs.
	if (!READABLE.includes(type)) return null;
	let form: Promise<FormData> | undefined;
	request.formData = () => (form ??= readForm(request, type));
	return null;
}
