import { error, json, type RequestEvent } from '@sveltejs/kit';

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

function cleanText(value: string): string {
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
 * Checks a form post before its action runs: returns the refusal, or null to go on with
 * `request.formData()` reading as above. Call it after the access guard.
 */
export function checkFormPost(event: RequestEvent): Response | null {
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
