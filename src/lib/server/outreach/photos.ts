/**
 * The photos of a 宣讲 talk: the talk form (fields and up to 9 photos) read from its multipart
 * body with bounded memory, each photo re-encoded before anything of it is kept, and served back.
 *
 * Reading (readTalkForm) follows media/upload.ts: busboy parses the body as it arrives, each photo
 * is written to a temporary file, its type decided from its first 4 KB (media/sniff.ts, never the
 * name) and its size limit enforced while it streams; a refused photo is deleted at once and the
 * rest of the body read and dropped, so a browser without JavaScript still gets the answer.
 *
 * Storing (processPhoto) never keeps the uploaded bytes: sharp decodes the photo (at most
 * OUTREACH_LIMITS.photoPixels, checked from its header before decoding, so a small file that
 * claims a huge image is refused without the memory), applies the EXIF orientation, scales it to
 * at most 2048 px on the long side and writes a fresh JPEG without any metadata (no EXIF, so no
 * GPS position or camera, no XMP, no ICC profile), plus a 480 px thumbnail. Both go into the media
 * directory by SHA-256 (media/store.ts), as the authored media do.
 */
import busboy, { type Busboy, type FileInfo } from 'busboy';
import sharp from 'sharp';
import { createHash } from 'node:crypto';
import { open, rm, stat, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { OUTREACH_LIMITS } from '../../outreach';
import { cleanText, TALK_BODY_LIMIT } from '../form-posts';
import { isNoSpace, overServerLimit, PartWriter } from '../media/part-writer';
import { mediaDir, mediaFilePath, placeFile, sweepStaleTemps, tempFilePath } from '../media/store';
import { cleanFileName } from '../media/upload';
import type { Queryable } from '../db';
import { outreachStatements } from './statements';
import type { ProcessedPhoto } from './types';

/** The form field the photos come in (`<input type="file" name="photos" multiple>`). */
export const PHOTO_FIELD = 'photos';

/** The form's own fields in all (names and values, in bytes): a talk needs a few kilobytes (form-posts.ts TALK_BODY_LIMIT counts them). */
export const TALK_FIELD_BYTES = 64 * 1024;

const MB = 1024 * 1024;
const BODY_TOO_LARGE = '提交的内容太大，请删减后重新提交';
const BODY_BROKEN = '提交的表单数据不完整或已损坏，请刷新页面后重新提交';
const NO_SPACE = '服务器存储空间不足，照片没有保存：请联系系统管理员';

/** What the photo refusals say (design: beside the form's `photos` field). */
export const PHOTO_MESSAGES = {
	count: `照片最多 ${OUTREACH_LIMITS.photos} 张`,
	type: (label: string) => `${label}不是 JPEG、PNG 或 WebP 图片`,
	size: (label: string) => `${label}超过 ${OUTREACH_LIMITS.photoBytes / MB} MB`,
	pixels: (label: string) =>
		`${label}像素太多（超过 ${OUTREACH_LIMITS.photoPixels / 10_000} 万像素），请缩小后再上传`,
	unreadable: (label: string) => `${label}无法读取，请换一张`
} as const;

/** A photo refused while stored; its message is said beside the form's photo field. */
export class PhotoError extends Error {}

/** How the nth photo of a form is named in a refusal: 第 2 张照片（会场.jpg）. */
export function photoLabel(n: number, fileName: string): string {
	return `第 ${n} 张照片（${fileName}）`;
}

// ------------------------------------------------------------------------------ storing

const SHARP_INPUT = {
	limitInputPixels: OUTREACH_LIMITS.photoPixels,
	// Corrupt pixel data is refused (a truncated upload included); harmless warnings are not.
	failOn: 'error',
	sequentialRead: true
} as const;

/** Both re-encoded files of a photo, in temporary files until placed. */
interface Encoded {
	photo: ProcessedPhoto;
	temps: { path: string; sha256: string }[];
}

async function writeTemp(bytes: Buffer, dir: string): Promise<{ path: string; sha256: string }> {
	const path = await tempFilePath(dir);
	await writeFile(path, bytes, { flag: 'wx' });
	return { path, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Decodes and re-encodes one photo into two temporary files; a photo that cannot be is a PhotoError. */
async function encodePhoto(path: string, dir: string, label: string): Promise<Encoded> {
	let full: { data: Buffer; info: { width: number; height: number } };
	let thumb: Buffer;
	try {
		full = await sharp(path, SHARP_INPUT)
			.rotate()
			.resize({
				width: OUTREACH_LIMITS.photoSide,
				height: OUTREACH_LIMITS.photoSide,
				fit: 'inside',
				withoutEnlargement: true
			})
			// A transparent PNG or WebP on white, as it looked on the phone.
			.flatten({ background: '#ffffff' })
			.jpeg({ quality: 82 })
			.toBuffer({ resolveWithObject: true });
		thumb = await sharp(full.data)
			.resize({
				width: OUTREACH_LIMITS.thumbSide,
				height: OUTREACH_LIMITS.thumbSide,
				fit: 'inside',
				withoutEnlargement: true
			})
			.jpeg({ quality: 75 })
			.toBuffer();
	} catch (e) {
		const message = e instanceof Error ? e.message : '';
		throw new PhotoError(
			/pixel limit/i.test(message) ? PHOTO_MESSAGES.pixels(label) : PHOTO_MESSAGES.unreadable(label)
		);
	}
	const temps: { path: string; sha256: string }[] = [];
	try {
		temps.push(await writeTemp(full.data, dir));
		temps.push(await writeTemp(thumb, dir));
	} catch (e) {
		await Promise.all(temps.map((t) => rm(t.path, { force: true })));
		if (isNoSpace(e)) throw new PhotoError(NO_SPACE);
		throw e;
	}
	return {
		photo: {
			sha256: temps[0]!.sha256,
			thumbSha256: temps[1]!.sha256,
			width: full.info.width,
			height: full.info.height,
			size: full.data.length
		},
		temps
	};
}

async function placeEncoded(encoded: Encoded, dir: string): Promise<void> {
	try {
		for (const t of encoded.temps) await placeFile(t.path, t.sha256, dir);
	} catch (e) {
		await discardEncoded(encoded);
		if (isNoSpace(e)) throw new PhotoError(NO_SPACE);
		throw e;
	}
}

async function discardEncoded(encoded: Encoded): Promise<void> {
	await Promise.all(encoded.temps.map((t) => rm(t.path, { force: true })));
}

/**
 * Re-encodes the photo at `path` (the uploaded file, left where it is) and stores the photo and
 * its thumbnail in the media directory: JPEG, orientation applied, no metadata, long side at most
 * 2048 px (thumbnail 480 px). Throws a PhotoError (Chinese, naming the photo as `label`) when it
 * is no image sharp can read or has too many pixels.
 */
export async function processPhoto(
	path: string,
	dir: string = mediaDir(),
	label = '照片'
): Promise<ProcessedPhoto> {
	const encoded = await encodePhoto(path, dir, label);
	await placeEncoded(encoded, dir);
	return encoded.photo;
}

// ------------------------------------------------------------------------------ reading

type Refusal = 'type' | 'size' | 'empty' | 'storage' | 'incomplete';

/** One photo part, read to its end whatever happens (busboy, and so the request, waits until it is). */
class PhotoWriter extends PartWriter<Refusal> {
	private sniffed: boolean | undefined;

	constructor(readonly fileName: string) {
		super();
	}

	async receive(stream: Readable, dir: string): Promise<void> {
		await this.openTemp(dir);
		try {
			for await (const chunk of stream) await this.take(chunk as Buffer);
		} catch {
			this.refusal ??= 'incomplete';
			return this.discard();
		}
		if (!this.refusal && this.size === 0) this.refusal = 'empty';
		if (!this.refusal && this.sniffed === undefined) await this.decideType(null, true);
		if (this.refusal) return this.discard();
		await this.guard(async () => {
			await this.fh!.close();
			this.fh = null;
		});
	}

	/** The received file, once `receive` ended without a refusal. */
	get path(): string | null {
		return this.refusal ? null : this.temp;
	}

	private async take(chunk: Buffer): Promise<void> {
		if (this.refusal) return; // drained, not stored
		this.size += chunk.length;
		if (this.size > OUTREACH_LIMITS.photoBytes) this.refusal = 'size';
		else if (this.sniffed === undefined) await this.decideType(chunk, false);
		if (this.refusal) return this.discard();
		await this.write(chunk);
	}

	private async decideType(chunk: Buffer | null, ended: boolean): Promise<void> {
		const found = await this.sniffHead(chunk, ended);
		if (found === undefined) return;
		this.sniffed = found?.family === 'image';
		if (!this.sniffed) this.refusal = 'type';
	}
}

/** The talk form as read: its fields (every value of each name, cleaned), its stored photos, or why not. */
export interface TalkForm {
	fields: Map<string, string[]>;
	/** The photos, stored; empty whenever photoError or bodyError is set (nothing of them is kept then). */
	photos: ProcessedPhoto[];
	/** The first refused photo, in Chinese, for the form's `photos` field. */
	photoError?: string;
	/** A body that could not be read (too large, broken), in Chinese, for the form as a whole. */
	bodyError?: string;
}

function mediaType(request: Request): string {
	return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

function addField(fields: Map<string, string[]>, name: string, value: string): void {
	const key = cleanText(name);
	const list = fields.get(key);
	if (list) list.push(cleanText(value));
	else fields.set(key, [cleanText(value)]);
}

/** The body as text, or null once it passes `limit` bytes (the rest is left unread). */
async function boundedText(body: ReadableStream<Uint8Array>, limit: number): Promise<string | null> {
	const chunks: Uint8Array[] = [];
	let size = 0;
	for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
		size += chunk.byteLength;
		if (size > limit) return null;
		chunks.push(chunk);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** A talk form sent without photos as application/x-www-form-urlencoded. */
async function readUrlEncoded(request: Request): Promise<TalkForm> {
	const fields = new Map<string, string[]>();
	const text = request.body ? await boundedText(request.body, TALK_FIELD_BYTES) : '';
	if (text === null) return { fields, photos: [], bodyError: BODY_TOO_LARGE };
	try {
		const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
		for (const pair of text.split('&')) {
			if (!pair) continue;
			const at = pair.indexOf('=');
			addField(fields, decode(at < 0 ? pair : pair.slice(0, at)), at < 0 ? '' : decode(pair.slice(at + 1)));
		}
	} catch {
		return { fields: new Map(), photos: [], bodyError: BODY_BROKEN };
	}
	return { fields, photos: [] };
}

function parser(contentType: string): Busboy | null {
	try {
		return busboy({
			headers: { 'content-type': contentType },
			defParamCharset: 'utf8',
			// No fileSize: PhotoWriter enforces the limit itself (busboy's would skip without backpressure).
			// Files: the photos (a few more to tell "too many"), and empty parts of unused file inputs.
			limits: {
				fieldSize: TALK_FIELD_BYTES,
				fields: 1000,
				files: OUTREACH_LIMITS.photos * 2 + 2,
				parts: 1100
			}
		});
	} catch {
		return null;
	}
}

/**
 * Reads a talk form from its request: the fields (at most TALK_FIELD_BYTES in all) and up to 9
 * photos (`photos`, each at most 10 MB as uploaded and a JPEG, PNG or WebP by its content), then
 * re-encodes and stores the photos (processPhoto). Everything is read within bounds as it
 * arrives; when a photo or the body is refused, no photo is stored and no temporary file stays.
 */
export async function readTalkForm(request: Request, dir: string = mediaDir()): Promise<TalkForm> {
	const fields = new Map<string, string[]>();
	const refused = (why: { photoError?: string; bodyError?: string }): TalkForm => ({
		fields,
		photos: [],
		...why
	});
	const type = mediaType(request);
	if (type === 'application/x-www-form-urlencoded') return readUrlEncoded(request);
	// Refused from its declared length, before any of it is read.
	if (Number(request.headers.get('content-length')) > TALK_BODY_LIMIT)
		return refused({ bodyError: BODY_TOO_LARGE });
	const form = request.body && type === 'multipart/form-data' && parser(request.headers.get('content-type')!);
	if (!request.body || !form) return refused({ bodyError: BODY_BROKEN });
	await sweepStaleTemps(dir);

	const writers: PhotoWriter[] = [];
	const receiving: Promise<void>[] = [];
	let fieldBytes = 0;
	let bodyError: string | undefined;
	let tooMany = false;
	form.on('field', (name, value, info) => {
		if (info.nameTruncated || info.valueTruncated) bodyError ??= BODY_TOO_LARGE;
		fieldBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
		if (fieldBytes > TALK_FIELD_BYTES) bodyError ??= BODY_TOO_LARGE;
		if (!bodyError) addField(fields, name, value);
	});
	form.on('file', (name: string, stream: Readable, info: FileInfo) => {
		stream.on('error', () => undefined);
		// Another file field, or a file input left empty (a part with no name and no bytes).
		if (name !== PHOTO_FIELD || !info.filename) return void stream.resume();
		if (writers.length >= OUTREACH_LIMITS.photos || tooMany || bodyError) {
			tooMany ||= writers.length >= OUTREACH_LIMITS.photos;
			return void stream.resume();
		}
		const writer = new PhotoWriter(cleanFileName(info.filename));
		writers.push(writer);
		receiving.push(writer.receive(stream, dir));
	});
	form.on('filesLimit', () => (tooMany = true));
	form.on('fieldsLimit', () => (bodyError ??= BODY_TOO_LARGE));
	form.on('partsLimit', () => (bodyError ??= BODY_TOO_LARGE));
	try {
		await pipeline(Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>), form);
	} catch (e) {
		// adapter-node's BODY_SIZE_LIMIT errors the body stream with status 413.
		bodyError ??= overServerLimit(e) ? BODY_TOO_LARGE : BODY_BROKEN;
	}
	await Promise.all(receiving);
	const discardAll = () => Promise.all(writers.map((w) => w.discard()));

	const fault = writers.find((w) => w.fault)?.fault;
	if (fault) {
		await discardAll();
		throw fault;
	}
	if (bodyError) {
		await discardAll();
		return refused({ bodyError });
	}
	const photoError = tooMany ? PHOTO_MESSAGES.count : firstRefusal(writers);
	if (photoError) {
		await discardAll();
		return refused({ photoError });
	}

	// Every photo received: re-encoded one at a time (bounded memory), stored only if all can be.
	const encoded: Encoded[] = [];
	try {
		for (const [i, writer] of writers.entries())
			encoded.push(await encodePhoto(writer.path!, dir, photoLabel(i + 1, writer.fileName)));
		for (const e of encoded) await placeEncoded(e, dir);
	} catch (e) {
		await Promise.all(encoded.map(discardEncoded));
		if (e instanceof PhotoError) return refused({ photoError: e.message });
		throw e;
	} finally {
		await discardAll();
	}
	return { fields, photos: encoded.map((e) => e.photo) };
}

function firstRefusal(writers: PhotoWriter[]): string | undefined {
	for (const [i, w] of writers.entries()) {
		if (!w.refusal) continue;
		const label = photoLabel(i + 1, w.fileName);
		switch (w.refusal) {
			case 'type':
			case 'empty':
				return PHOTO_MESSAGES.type(label);
			case 'size':
				return PHOTO_MESSAGES.size(label);
			case 'storage':
				return NO_SPACE;
			case 'incomplete':
				return BODY_BROKEN;
		}
	}
	return undefined;
}

/**
 * Removes the stored files of photos whose form was then refused (another field was wrong), unless
 * a row points at them: the same photo may belong to another talk, since files are stored by hash.
 */
export async function discardUnusedPhotos(
	db: Queryable,
	photos: ProcessedPhoto[],
	dir: string = mediaDir()
): Promise<void> {
	const used = outreachStatements(db).fileUsed;
	for (const sha256 of photos.flatMap((p) => [p.sha256, p.thumbSha256]))
		if (!used.get(sha256, sha256, sha256)) await rm(mediaFilePath(sha256, dir), { force: true });
}

// ------------------------------------------------------------------------------ serving

export const PHOTO_NOT_FOUND = '没有找到这张照片，或您无权查看';

/**
 * The response for a talk photo the viewer may see (the photo, or its thumbnail with
 * `thumb`), or null when its file is missing on disk. The bytes of a hash never change, so the
 * browser keeps it a day (private: only this viewer's browser).
 */
export async function photoResponse(
	photo: { sha256: string; thumbSha256: string },
	request: Request,
	{
		thumb = false,
		headOnly = false,
		dir = mediaDir()
	}: { thumb?: boolean; headOnly?: boolean; dir?: string } = {}
): Promise<Response | null> {
	const sha256 = thumb ? photo.thumbSha256 : photo.sha256;
	const path = mediaFilePath(sha256, dir);
	const size = await stat(path).then(
		(s) => s.size,
		() => null
	);
	if (size === null) return null;
	const etag = `"${sha256}"`;
	const headers = new Headers({
		'content-type': 'image/jpeg',
		'cache-control': 'private, max-age=86400',
		etag,
		'x-content-type-options': 'nosniff',
		'cross-origin-resource-policy': 'same-origin'
	});
	const match = request.headers.get('if-none-match');
	if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*'))
		return new Response(null, { status: 304, headers });
	headers.set('content-length', String(size));
	if (headOnly) return new Response(null, { status: 200, headers });
	const fh = await open(path, 'r');
	// A photo is at most a few hundred KB: read whole, never held open.
	try {
		return new Response(new Uint8Array(await fh.readFile()), { status: 200, headers });
	} finally {
		await fh.close();
	}
}
