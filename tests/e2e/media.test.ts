import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { inject } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { appDatabase, baseURL, get, loginCookie } from './http';
import { DESKTOP, PHONE, launchBrowser, snapshot } from './browser';

/*
 * The media library on the built app: a school admin uploads with and without JavaScript and
 * sees the file listed; a wrong type is refused in Chinese beside the file field with nothing
 * stored; the file is served with Range to its authors, and to nobody else.
 */

const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
	'base64'
);
/** A distinct picture per use (a PNG with bytes after its end still is one): no upload is a duplicate. */
const png = (tag: string) => Buffer.concat([PNG, Buffer.from(tag)]);
const EXE = Buffer.concat([
	Buffer.from('MZ'),
	Buffer.alloc(58),
	Buffer.from([0x80, 0, 0, 0]),
	Buffer.alloc(200)
]);
const TYPE_REFUSED = '只能上传 PNG、JPEG、WebP 图片，PDF 文档，MP4（H.264/AAC）视频，MP3/M4A 音频';

let browser: Browser;
let cookie: string;

beforeAll(async () => {
	browser = await launchBrowser();
	cookie = await loginCookie('dangxiao');
});
afterAll(async () => {
	await browser?.close();
});

function mediaRows(): number {
	const db = appDatabase();
	try {
		return (db.prepare('SELECT count(*) AS n FROM media').get() as { n: number }).n;
	} finally {
		db.close();
	}
}

const mediaDir = () => join(dirname(inject('databasePath')), 'media');

function filesUnder(dir: string): string[] {
	return existsSync(dir)
		? readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [n]))
		: [];
}
const mediaFiles = () => filesUnder(mediaDir());

/** The upload form as a browser without JavaScript posts it. */
function post(name: string, bytes: Buffer, headers: Record<string, string> = {}): Promise<Response> {
	const form = new FormData();
	form.append('file', new Blob([new Uint8Array(bytes)]), name);
	return fetch(`${baseURL()}/author/media/upload`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: baseURL(), cookie, ...headers },
		body: form
	});
}

async function signedIn(javaScriptEnabled: boolean, viewport = DESKTOP): Promise<[BrowserContext, Page]> {
	const context = await browser.newContext({ viewport, locale: 'zh-CN', javaScriptEnabled });
	await context.addCookies([{ name: 'session', value: cookie.split('=')[1]!, url: baseURL() }]);
	return [context, await context.newPage()];
}

async function choose(page: Page, name: string, bytes: Buffer, mimeType = 'image/png') {
	await page.getByLabel('选择文件').setInputFiles({ name, mimeType, buffer: bytes });
	await page.getByRole('button', { name: '上传', exact: true }).click();
}

describe('a school admin’s media library', () => {
	it('without JavaScript: uploads a picture, is sent back to the list, and sees it there', async () => {
		const [context, page] = await signedIn(false);
		await page.goto(`${baseURL()}/author/media`);
		await choose(page, '校园一角.png', png('no-js'));
		await page.waitForURL(/\/author\/media\?uploaded=\d+/);
		await page.getByRole('status').filter({ hasText: '已上传：校园一角.png' }).waitFor();
		const row = page.getByRole('row').filter({ hasText: '校园一角.png' });
		expect(await row.count()).toBe(1);
		expect(await row.getByRole('textbox').inputValue()).toMatch(/^!\[说明\]\(\/media\/\d+\)$/);
		await snapshot(page, 'media-library-no-js');
		await context.close();
	});

	it('with JavaScript: uploads through the progress bar without leaving the page', async () => {
		const [context, page] = await signedIn(true, PHONE);
		await page.goto(`${baseURL()}/author/media`, { waitUntil: 'networkidle' });
		const xhr = page.waitForRequest((r) => r.url().endsWith('/author/media/upload'));
		await choose(page, '讲台.png', png('js'));
		expect((await xhr).headers()['x-requested-with']).toBe('XMLHttpRequest');
		await page.getByRole('status').filter({ hasText: '已上传：讲台.png' }).waitFor();
		expect(await page.getByRole('row').filter({ hasText: '讲台.png' }).count()).toBe(1);
		await snapshot(page, 'media-library-phone');
		await context.close();
	});

	it('a program named .png is refused in Chinese beside the file field, with and without JavaScript; nothing is stored', async () => {
		const rows = mediaRows();
		const files = mediaFiles().length;
		for (const javaScriptEnabled of [false, true]) {
			const [context, page] = await signedIn(javaScriptEnabled);
			await page.goto(`${baseURL()}/author/media`, { waitUntil: javaScriptEnabled ? 'networkidle' : 'load' });
			await choose(page, 'setup.png', EXE);
			const error = page.locator('#file-error');
			await error.filter({ hasText: TYPE_REFUSED }).waitFor();
			expect(await page.getByLabel('选择文件').getAttribute('aria-describedby')).toContain('file-error');
			if (javaScriptEnabled) await snapshot(page, 'media-library-refused');
			await context.close();
		}
		expect(mediaRows()).toBe(rows);
		expect(mediaFiles()).toHaveLength(files);
	});

	it('serves the file with Range to its author; a cadre, another office’s admin and another site get nothing', async () => {
		const bytes = png('range');
		const answer = await post('范围.png', bytes);
		expect(answer.status).toBe(303);
		const id = /uploaded=(\d+)/.exec(answer.headers.get('location') ?? '')![1];
		const whole = await get(`/media/${id}`, cookie);
		expect(whole.status).toBe(200);
		expect(whole.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
		const part = await fetch(`${baseURL()}/media/${id}`, { headers: { cookie, range: 'bytes=0-7' } });
		expect(part.status).toBe(206);
		expect(part.headers.get('content-range')).toBe(`bytes 0-7/${bytes.length}`);
		expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(0, 8))).toBe(true);

		for (const username of ['lishi.cadre', 'lishi.admin']) {
			const other = await get(`/media/${id}`, await loginCookie(username));
			expect(other.status, username).toBe(404);
			expect(await other.text(), username).toContain('没有找到这个文件，或您无权查看');
		}
		const before = mediaRows();
		const crossSite = await post('跨站.png', png('cross-site'), { origin: 'https://evil.example' });
		expect(crossSite.status).toBe(403);
		expect(mediaRows()).toBe(before);
	});

	it('the upload path takes more than the 8 MB other forms get, and answers JSON to the uploader', async () => {
		const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(9 * 1024 * 1024, 0x20)]);
		const answer = await post('九兆讲义.pdf', big, { 'x-requested-with': 'XMLHttpRequest' });
		expect(answer.status).toBe(200);
		const body = (await answer.json()) as { ok: boolean; media: { kind: string; size: number } };
		expect(body).toMatchObject({ ok: true, media: { kind: 'pdf', size: big.length } });
		const tooBig = await post('大图.png', Buffer.concat([PNG, Buffer.alloc(6 * 1024 * 1024)]), {
			'x-requested-with': 'XMLHttpRequest'
		});
		expect(tooBig.status).toBe(413);
		expect(await tooBig.json()).toMatchObject({ ok: false, error: '文件超过 5 MB，图片请压缩后再上传' });
	});

	it('an upload the browser gives up half-way leaves no temporary file, and the app keeps answering', async () => {
		const rows = mediaRows();
		const url = new URL(baseURL());
		const boundary = '----xuexiAbort';
		let during: string[] = [];
		await new Promise<void>((done) => {
			const req = request({
				host: '127.0.0.1',
				port: url.port,
				path: '/author/media/upload',
				method: 'POST',
				headers: {
					host: url.host,
					origin: baseURL(),
					cookie,
					'content-type': `multipart/form-data; boundary=${boundary}`,
					'content-length': 50 * 1024 * 1024
				}
			});
			req.on('error', () => done());
			req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="半途.pdf"\r\n\r\n`);
			req.write(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(5 * 1024 * 1024, 0x20)]), () => {
				// The temporary file exists while the body arrives; then the connection drops.
				setTimeout(() => {
					during = filesUnder(join(mediaDir(), 'tmp'));
					req.destroy();
					done();
				}, 300);
			});
		});
		expect(during).toHaveLength(1);
		const deadline = Date.now() + 5_000;
		while (filesUnder(join(mediaDir(), 'tmp')).length > 0 && Date.now() < deadline)
			await new Promise((r) => setTimeout(r, 100));
		expect(filesUnder(join(mediaDir(), 'tmp'))).toEqual([]);
		expect(mediaRows()).toBe(rows);
		expect((await get('/healthz')).status).toBe(200);
	});
});
