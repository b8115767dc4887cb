import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { RequestEvent } from '@sveltejs/kit';
import { mediaFilePath } from '../../src/lib/server/media';
import { testDb } from '../helpers/db';
import { mediaFiles, streamOf } from '../helpers/upload';
import {
	discardUnusedPhotos,
	photoResponse,
	processPhoto,
	PhotoError,
	readTalkForm,
	type TalkForm
} from '../../src/lib/server/outreach/photos';
import { BODY_LIMIT, checkFormPost, TALK_BODY_LIMIT } from '../../src/lib/server/form-posts';

/*
 * 宣讲 photos: the talk form's photos are checked by content and size while they stream in,
 * re-encoded without any metadata (the phone's GPS position above all), stored by hash, and a
 * refused photo leaves nothing behind.
 */

const MB = 1024 * 1024;
let dir: string;

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'xuexi-outreach-photos-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ------------------------------------------------------------------------------------ helpers

const temps = () => mediaFiles(dir).temps;
const stored = () => mediaFiles(dir).stored;

const BOUNDARY = '----xuexiTalkForm3Fq9vZ0qk2';
const CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

type Part =
	{ name: string; value: string } | { name: string; fileName: string; bytes: Iterable<Uint8Array> | Buffer };

function* body(parts: Part[]): Generator<Uint8Array> {
	for (const part of parts) {
		if ('value' in part) {
			yield Buffer.from(
				`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`
			);
			continue;
		}
		yield Buffer.from(
			`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`
		);
		if (Buffer.isBuffer(part.bytes)) yield part.bytes;
		else yield* part.bytes;
		yield Buffer.from('\r\n');
	}
	yield Buffer.from(`--${BOUNDARY}--\r\n`);
}

function talkRequest(parts: Part[], headers: Record<string, string> = {}): Request {
	return new Request('http://intranet:3000/outreach/new', {
		method: 'POST',
		body: streamOf(body(parts)),
		headers: { 'content-type': CONTENT_TYPE, ...headers },
		duplex: 'half'
	} as RequestInit);
}

const photo = (fileName: string, bytes: Buffer | Iterable<Uint8Array>): Part => ({
	name: 'photos',
	fileName,
	bytes
});

function read(parts: Part[]): Promise<TalkForm> {
	return readTalkForm(talkRequest(parts), dir);
}

/** Reads a form expected to be refused for its photos; nothing of it may stay (no stored file, no temp). */
async function refusedPhotos(parts: Part[]): Promise<string | undefined> {
	const before = stored().length;
	const form = await read(parts);
	expect(form.photos).toEqual([]);
	expect(stored().length).toBe(before);
	expect(temps()).toEqual([]);
	return form.photoError;
}

/** `head` then zero bytes up to `size`, 64 KB at a time; `onChunk` sees the count so far. */
function* filled(head: Buffer, size: number, onChunk?: (sent: number) => void): Generator<Uint8Array> {
	yield head;
	let sent = head.length;
	const chunk = Buffer.alloc(64 * 1024);
	while (sent < size) {
		const next = chunk.subarray(0, Math.min(chunk.length, size - sent));
		sent += next.length;
		onChunk?.(sent);
		yield next;
	}
}

/** The tags of a TIFF directory (EXIF as sharp returns it: "Exif\0\0" then the TIFF header). */
function exifIfd0Tags(exif: Buffer): number[] {
	const tiff = exif.subarray(6);
	const le = tiff.toString('latin1', 0, 2) === 'II';
	const u16 = (at: number) => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
	const u32 = (at: number) => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
	const ifd = u32(4);
	return Array.from({ length: u16(ifd) }, (_, i) => u16(ifd + 2 + i * 12));
}
const GPS_IFD_POINTER = 0x8825;

/** A phone photo: 2400×1200 as stored, to be shown turned (orientation 6), left half red, right half blue, with GPS, ICC and XMP. */
async function phonePhoto(): Promise<Buffer> {
	const half = { width: 1200, height: 1200, channels: 3 } as const;
	const red = await sharp({ create: { ...half, background: { r: 220, g: 20, b: 20 } } })
		.png()
		.toBuffer();
	const blue = await sharp({ create: { ...half, background: { r: 20, g: 20, b: 220 } } })
		.png()
		.toBuffer();
	return sharp({ create: { width: 2400, height: 1200, channels: 3, background: '#000' } })
		.composite([
			{ input: red, left: 0, top: 0 },
			{ input: blue, left: 1200, top: 0 }
		])
		.jpeg({ quality: 90 })
		.withMetadata({ orientation: 6 })
		.withExif({
			IFD0: { Make: 'PhoneMaker', Model: 'Phone 12' },
			IFD3: {
				GPSLatitudeRef: 'N',
				GPSLatitude: '37/1 31/1 12/1',
				GPSLongitudeRef: 'E',
				GPSLongitude: '111/1 8/1 30/1'
			}
		})
		.withIccProfile('p3')
		.withXmp(
			'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>'
		)
		.toBuffer();
}

async function smallImage(format: 'png' | 'webp', width = 300, height = 200): Promise<Buffer> {
	const img = sharp({
		create: { width, height, channels: 4, background: { r: 10, g: 120, b: 200, alpha: 0.5 } }
	});
	return format === 'png' ? img.png().toBuffer() : img.webp().toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typed));
	return Buffer.concat([length, typed, crc]);
}

/** A PNG of 10,000 × 6,000 pixels (60 M, over the 50 M limit) in a file of a few hundred bytes. */
function bombPng(): Buffer {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(10_000, 0);
	header.writeUInt32BE(6_000, 4);
	header[8] = 8; // bit depth
	header[9] = 0; // greyscale
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', deflateSync(Buffer.alloc(10_001 * 4))),
		pngChunk('IEND', Buffer.alloc(0))
	]);
}

let phone: Buffer;
let png: Buffer;
let webp: Buffer;

beforeAll(async () => {
	phone = await phonePhoto();
	png = await smallImage('png');
	webp = await smallImage('webp', 200, 300);
});
beforeEach(() => expect(temps()).toEqual([]));

// ------------------------------------------------------------------------------------ storing

describe('a phone photo is stored without its location and the right way up', () => {
	it('the test photo really carries GPS, ICC, XMP and an orientation', async () => {
		const meta = await sharp(phone).metadata();
		expect(meta.orientation).toBe(6);
		expect(meta.exif).toBeDefined();
		expect(exifIfd0Tags(meta.exif!)).toContain(GPS_IFD_POINTER);
		expect(meta.icc).toBeDefined();
		expect(meta.xmp).toBeDefined();
	});

	it('is re-encoded: no EXIF (so no GPS), no XMP, no ICC; turned upright; at most 2048 px; a 480 px thumbnail', async () => {
		const form = await read([{ name: 'summary', value: '在联络站宣讲' }, photo('IMG_0001.jpg', phone)]);
		expect(form.bodyError).toBeUndefined();
		expect(form.photoError).toBeUndefined();
		expect(form.fields.get('summary')).toEqual(['在联络站宣讲']);
		expect(form.photos).toHaveLength(1);
		const [p] = form.photos;
		// 2400×1200 stored sideways is 1200×2400 upright, scaled to 2048 on its long side.
		expect(p).toMatchObject({ width: 1024, height: 2048 });

		const file = readFileSync(mediaFilePath(p!.sha256, dir));
		expect(createHash('sha256').update(file).digest('hex')).toBe(p!.sha256);
		expect(file.length).toBe(p!.size);
		const meta = await sharp(file).metadata();
		expect(meta).toMatchObject({ format: 'jpeg', width: 1024, height: 2048 });
		expect(meta.exif).toBeUndefined();
		expect(meta.xmp).toBeUndefined();
		expect(meta.icc).toBeUndefined();
		expect(meta.iptc).toBeUndefined();
		expect(meta.orientation).toBeUndefined();
		expect(file.includes(Buffer.from('PhoneMaker'))).toBe(false);
		expect(file.includes(Buffer.from('Exif\0\0'))).toBe(false);

		// Orientation 6 turns the picture a quarter clockwise: its left (red) half is now on top.
		const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
		const pixel = (x: number, y: number) => {
			const at = (y * info.width + x) * info.channels;
			return [data[at]!, data[at + 1]!, data[at + 2]!];
		};
		const [tr, , tb] = pixel(512, 200);
		const [br, , bb] = pixel(512, 1850);
		expect(tr).toBeGreaterThan(150);
		expect(tb).toBeLessThan(80);
		expect(bb).toBeGreaterThan(150);
		expect(br).toBeLessThan(80);

		const thumb = await sharp(readFileSync(mediaFilePath(p!.thumbSha256, dir))).metadata();
		expect(thumb).toMatchObject({ format: 'jpeg', width: 240, height: 480 });
		expect(thumb.exif).toBeUndefined();
		expect(temps()).toEqual([]);
	});

	it('PNG and WebP (transparent ones too) are taken and stored as JPEG, small ones not enlarged', async () => {
		const form = await read([photo('合影.png', png), photo('现场.webp', webp)]);
		expect(form.photoError).toBeUndefined();
		expect(form.photos.map((p) => [p.width, p.height])).toEqual([
			[300, 200],
			[200, 300]
		]);
		for (const p of form.photos) {
			const meta = await sharp(readFileSync(mediaFilePath(p.sha256, dir))).metadata();
			expect(meta.format).toBe('jpeg');
			expect(meta.hasAlpha).toBe(false);
		}
	});

	it('processPhoto on its own says in Chinese when a file is no image', async () => {
		const path = join(dir, 'not-an-image.jpg');
		writeFileSync(path, '这不是图片');
		const refusal = await processPhoto(path, dir, '第 3 张照片（a.jpg）').catch((e: unknown) => e);
		expect(refusal).toBeInstanceOf(PhotoError);
		expect((refusal as Error).message).toBe('第 3 张照片（a.jpg）无法读取，请换一张');
		rmSync(path);
	});
});

// ------------------------------------------------------------------------------------ refusals

describe('a refused photo refuses the form and leaves nothing behind', () => {
	it('a text file named .jpg is not a photo', async () => {
		const text = Buffer.from('宣讲稿：深入学习贯彻党的二十大精神……'.repeat(20));
		expect(await refusedPhotos([photo('现场.jpg', png), photo('现场2.jpg', text)])).toBe(
			'第 2 张照片（现场2.jpg）不是 JPEG、PNG 或 WebP 图片'
		);
	});

	it('a JPEG that is only a JPEG in its first bytes cannot be read', async () => {
		const fake = Buffer.concat([phone.subarray(0, 200), Buffer.alloc(5000, 7)]);
		expect(await refusedPhotos([photo('坏图.jpg', fake)])).toBe('第 1 张照片（坏图.jpg）无法读取，请换一张');
	});

	it('a photo over 10 MB is refused while it is read, its temporary file gone before the body ends', async () => {
		let tempsWhileReading = -1;
		const big = filled(phone.subarray(0, 4096), 14 * MB, (sent) => {
			if (sent > 12 * MB && tempsWhileReading < 0) tempsWhileReading = temps().length;
		});
		expect(await refusedPhotos([photo('大图.jpg', big), { name: 'summary', value: '摘要' }])).toBe(
			'第 1 张照片（大图.jpg）超过 10 MB'
		);
		expect(tempsWhileReading).toBe(0);
	});

	it('at most 9 photos in one form', async () => {
		const ten = Array.from({ length: 10 }, (_, i) => photo(`${i + 1}.png`, png));
		expect(await refusedPhotos(ten)).toBe('照片最多 9 张');
		const form = await read(ten.slice(0, 9));
		expect(form.photos).toHaveLength(9);
	});

	it('a decompression bomb (60 M pixels in a tiny PNG) is refused without decoding it', async () => {
		const bomb = bombPng();
		expect(bomb.length).toBeLessThan(1024);
		expect(await refusedPhotos([photo('炸弹.png', bomb)])).toBe(
			'第 1 张照片（炸弹.png）像素太多（超过 5000 万像素），请缩小后再上传'
		);
		const path = join(dir, 'bomb.png');
		writeFileSync(path, bomb);
		const refusal = await processPhoto(path, dir).catch((e: unknown) => e);
		expect(refusal).toBeInstanceOf(PhotoError);
		expect((refusal as Error).message).toBe('照片像素太多（超过 5000 万像素），请缩小后再上传');
		rmSync(path);
	});
});

// ------------------------------------------------------------------------------------ fields and body

describe('the fields of the talk form', () => {
	it('keeps every value of a repeated field, drops invisible characters, skips an empty file input', async () => {
		const form = await read([
			{ name: 'speakers', value: '3' },
			{ name: 'speakers', value: '5' },
			{ name: 'place', value: '\u202e枣林村\u0000' },
			photo('', Buffer.alloc(0))
		]);
		expect(form.bodyError).toBeUndefined();
		expect(form.photoError).toBeUndefined();
		expect(form.fields.get('speakers')).toEqual(['3', '5']);
		expect(form.fields.get('place')).toEqual(['枣林村']);
		expect(form.photos).toEqual([]);
	});

	it('fields over 64 KB in all are refused, and so is their photo', async () => {
		const form = await read([
			photo('合影.png', png),
			...Array.from({ length: 5 }, () => ({ name: 'summary', value: '字'.repeat(5000) }))
		]);
		expect(form.bodyError).toBe('提交的内容太大，请删减后重新提交');
		expect(form.photos).toEqual([]);
		expect(temps()).toEqual([]);
	});

	it('a body declared larger than nine photos is refused before it is read', async () => {
		const form = await readTalkForm(
			talkRequest([photo('合影.png', png)], { 'content-length': String(TALK_BODY_LIMIT + 1) }),
			dir
		);
		expect(form.bodyError).toBe('提交的内容太大，请删减后重新提交');
	});

	it('a broken multipart body is said in Chinese', async () => {
		const request = new Request('http://intranet:3000/outreach/new', {
			method: 'POST',
			body: 'not multipart at all',
			headers: { 'content-type': 'multipart/form-data' }
		});
		expect((await readTalkForm(request, dir)).bodyError).toBe(
			'提交的表单数据不完整或已损坏，请刷新页面后重新提交'
		);
	});

	it('a form without photos may come URL-encoded', async () => {
		const request = new Request('http://intranet:3000/outreach/7/edit', {
			method: 'POST',
			body: 'summary=%E5%AE%A3%E8%AE%B2&topics=p%3A1&topics=p%3A2',
			headers: { 'content-type': 'application/x-www-form-urlencoded' }
		});
		const form = await readTalkForm(request, dir);
		expect(form.fields.get('summary')).toEqual(['宣讲']);
		expect(form.fields.get('topics')).toEqual(['p:1', 'p:2']);
	});
});

describe('the talk form paths take bodies past the 8 MB form cap, up to nine photos', () => {
	function event(path: string, size: number): RequestEvent {
		const request = new Request(`http://intranet:3000${path}`, {
			method: 'POST',
			body: streamOf(filled(Buffer.alloc(0), size)),
			headers: { 'content-type': CONTENT_TYPE, 'content-length': String(size) },
			duplex: 'half'
		} as RequestInit);
		return { request, url: new URL(request.url) } as unknown as RequestEvent;
	}
	async function bytesRead(e: RequestEvent): Promise<number | 413> {
		checkFormPost(e);
		let n = 0;
		try {
			for await (const chunk of e.request.body as unknown as AsyncIterable<Uint8Array>) n += chunk.byteLength;
		} catch (err) {
			if ((err as { status?: number }).status === 413) return 413;
			throw err;
		}
		return n;
	}

	it('/outreach/new and /outreach/<id>/edit up to TALK_BODY_LIMIT; other pages still 8 MB', async () => {
		expect(TALK_BODY_LIMIT).toBeGreaterThan(9 * 10 * MB);
		expect(await bytesRead(event('/outreach/new', 20 * MB))).toBe(20 * MB);
		expect(await bytesRead(event('/outreach/12/edit', 20 * MB))).toBe(20 * MB);
		expect(await bytesRead(event('/outreach/new', TALK_BODY_LIMIT + 1))).toBe(413);
		expect(await bytesRead(event('/outreach/12', BODY_LIMIT + 1))).toBe(413);
		expect(await bytesRead(event('/outreach/new/x', BODY_LIMIT + 1))).toBe(413);
	});
});

// ------------------------------------------------------------------------------------ serving

describe('serving a stored photo', () => {
	it('the photo or its thumbnail as JPEG, kept a day by the viewer only, 304 on a known tag', async () => {
		const [p] = (await read([photo('合影.png', png)])).photos;
		const full = (await photoResponse(p!, new Request('http://x/'), { dir }))!;
		expect(full.status).toBe(200);
		expect(full.headers.get('content-type')).toBe('image/jpeg');
		expect(full.headers.get('cache-control')).toBe('private, max-age=86400');
		expect(Buffer.from(await full.arrayBuffer())).toEqual(readFileSync(mediaFilePath(p!.sha256, dir)));
		const thumb = (await photoResponse(p!, new Request('http://x/'), { dir, thumb: true }))!;
		expect(Buffer.from(await thumb.arrayBuffer())).toEqual(readFileSync(mediaFilePath(p!.thumbSha256, dir)));
		const again = await photoResponse(
			p!,
			new Request('http://x/', { headers: { 'if-none-match': `"${p!.sha256}"` } }),
			{ dir }
		);
		expect(again!.status).toBe(304);
		expect(
			await photoResponse({ sha256: 'a'.repeat(64), thumbSha256: 'b'.repeat(64) }, new Request('http://x/'), {
				dir
			})
		).toBeNull();
	});
});

describe('the photos of a form refused for another field', () => {
	it('are removed from the media directory, unless a row still points at the same file', async () => {
		const db = testDb();
		const [kept, dropped] = (await read([photo('合影.png', png), photo('现场.webp', webp)])).photos;
		const userId = db.$client
			.prepare("INSERT INTO users (username, name, password_hash) VALUES ('a', '甲', 'x') RETURNING id")
			.pluck()
			.get();
		const officeId = db.$client
			.prepare("INSERT INTO offices (name, code) VALUES ('离石区人大常委会', 'lishi') RETURNING id")
			.pluck()
			.get();
		const talkId = db.$client
			.prepare(
				'INSERT INTO outreach_talks (office_id, recorded_by, created_at, updated_at) VALUES (?, ?, 0, 0)'
			)
			.run(officeId, userId).lastInsertRowid;
		db.$client
			.prepare(
				`INSERT INTO outreach_photos (talk_id, position, sha256, thumb_sha256, width, height, size, uploaded_by, uploaded_at)
				VALUES (?, 1, ?, ?, 1, 1, 1, ?, 0)`
			)
			.run(talkId, kept!.sha256, kept!.thumbSha256, userId);
		await discardUnusedPhotos(db, [kept!, dropped!], dir);
		expect(existsSync(mediaFilePath(kept!.sha256, dir))).toBe(true);
		expect(existsSync(mediaFilePath(kept!.thumbSha256, dir))).toBe(true);
		expect(existsSync(mediaFilePath(dropped!.sha256, dir))).toBe(false);
		expect(existsSync(mediaFilePath(dropped!.thumbSha256, dir))).toBe(false);
	});
});
