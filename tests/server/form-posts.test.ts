import { describe, expect, it } from 'vitest';
import { isHttpError, type RequestEvent } from '@sveltejs/kit';
import { checkFormPost } from '../../src/lib/server/form-posts';

/** The part of a RequestEvent the check reads: the request and its URL. */
function post(
	body: BodyInit | null,
	contentType: string | null,
	query = '?/save',
	headers: Record<string, string> = {}
) {
	const url = new URL(`http://intranet:3000/page${query}`);
	const request = new Request(url, {
		method: 'POST',
		body,
		headers: { ...(contentType ? { 'content-type': contentType } : {}), ...headers }
	});
	return { request, url } as unknown as RequestEvent;
}

const URLENCODED = 'application/x-www-form-urlencoded';

/** What a refusal thrown as SvelteKit's error() carries. */
function thrown(fn: () => unknown): { status: number; message: string } {
	try {
		fn();
	} catch (e) {
		if (isHttpError(e)) return { status: e.status, message: e.body.message };
		throw e;
	}
	throw new Error('nothing was thrown');
}

async function rejected(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
	try {
		await promise;
	} catch (e) {
		if (isHttpError(e)) return { status: e.status, message: e.body.message };
		throw e;
	}
	throw new Error('nothing was thrown');
}

describe('form posts the action cannot read are refused in Chinese, never a 500', () => {
	it('a text/plain post is refused before any action runs (415)', () => {
		const refusal = thrown(() => checkFormPost(post('name=x', 'text/plain')));
		expect(refusal.status).toBe(415);
		expect(refusal.message).toMatch(/[\u4e00-\u9fff]/);
	});

	it('use:enhance gets the refusal as an action result it can show', async () => {
		const res = checkFormPost(post('name=x', 'text/plain', '?/save', { 'x-sveltekit-action': 'true' }))!;
		expect(res.status).toBe(415);
		const body = await res.json();
		expect(body.type).toBe('error');
		expect(body.error.message).toContain('数据格式不受支持');
	});

	it('a broken or boundary-less multipart body reads as a 400 with a Chinese message', async () => {
		const bodies: [string, string][] = [
			[
				'multipart/form-data; boundary=XYZ',
				'--XYZ\r\nContent-Disposition: form-data; name="name"\r\n\r\ntrunc'
			],
			['multipart/form-data', 'no boundary at all']
		];
		for (const [type, body] of bodies) {
			const event = post(body, type);
			expect(checkFormPost(event)).toBeNull();
			const refusal = await rejected(event.request.formData());
			expect(refusal.status, type).toBe(400);
			expect(refusal.message).toContain('表单数据不完整或已损坏');
		}
	});

	it('malformed percent-encoding is refused instead of stored as U+FFFD or a stray %', async () => {
		for (const body of ['name=%E0%A4%A', 'name=%', 'name=ok&x=%ZZ']) {
			const event = post(body, URLENCODED);
			checkFormPost(event);
			expect((await rejected(event.request.formData())).status, body).toBe(400);
		}
	});

	it('a body over the server limit is a 413 the action may catch and explain', async () => {
		const stream = new ReadableStream({
			start(c) {
				c.error(Object.assign(new Error('Content-length exceeds limit'), { status: 413 }));
			}
		});
		const request = new Request('http://intranet:3000/page', {
			method: 'POST',
			body: stream,
			headers: { 'content-type': URLENCODED },
			duplex: 'half'
		} as RequestInit);
		const big = { request, url: new URL(request.url) } as RequestEvent;
		checkFormPost(big);
		const refusal = await rejected(big.request.formData());
		expect(refusal.status).toBe(413);
		expect(refusal.message).toContain('内容太大');
	});

	it('reads a good form once, as sent (plus signs, UTF-8, repeated keys, files)', async () => {
		const event = post('name=%E6%9D%8E+%E6%96%87&ids=1&ids=2&empty=', URLENCODED);
		checkFormPost(event);
		const form = await event.request.formData();
		expect(form.get('name')).toBe('李 文');
		expect(form.getAll('ids')).toEqual(['1', '2']);
		expect(form.get('empty')).toBe('');
		expect(await event.request.formData()).toBe(form);

		const multipart = new FormData();
		multipart.append('title', '心得');
		multipart.append('file', new File(['a,b'], '成员.csv', { type: 'text/csv' }));
		const upload = new Request('http://intranet:3000/page', { method: 'POST', body: multipart });
		const uploadEvent = { request: upload, url: new URL(upload.url) } as RequestEvent;
		checkFormPost(uploadEvent);
		const read = await uploadEvent.request.formData();
		expect(read.get('title')).toBe('心得');
		const file = read.get('file') as File;
		expect(file.name).toBe('成员.csv');
		expect(await file.text()).toBe('a,b');
	});

	it('drops invisible control and bidi-override characters; U+2028 becomes a line break', async () => {
		const event = post(
			new URLSearchParams({
				name: '\u0000\u202e',
				body: '第一段\u2028第二段\u0007',
				keep: 'a\tb\r\nc'
			}).toString(),
			URLENCODED
		);
		checkFormPost(event);
		const form = await event.request.formData();
		expect(form.get('name')).toBe('');
		expect(form.get('body')).toBe('第一段\n第二段');
		expect(form.get('keep')).toBe('a\tb\r\nc');
	});

	it('refuses action names SvelteKit would crash on: ?/default and names every object has', () => {
		for (const query of ['?/default', '?/constructor', '?/__proto__', '?/toString', '?/hasOwnProperty']) {
			expect(thrown(() => checkFormPost(post('a=1', URLENCODED, query))).status, query).toBe(404);
		}
		expect(checkFormPost(post('a=1', URLENCODED, '?/save'))).toBeNull();
		expect(checkFormPost(post('a=1', URLENCODED, ''))).toBeNull();
	});

	it('leaves GET requests and non-form bodies alone (SvelteKit answers those)', () => {
		const get = {
			request: new Request('http://intranet:3000/page?/save'),
			url: new URL('http://intranet:3000/page?/save')
		} as RequestEvent;
		expect(checkFormPost(get)).toBeNull();
		const json = post('{}', 'application/json');
		const before = json.request.formData;
		expect(checkFormPost(json)).toBeNull();
		expect(json.request.formData).toBe(before);
	});
});
