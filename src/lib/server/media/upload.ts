/**
 * Receiving an upload with bounded memory: the multipart body is parsed as it arrives (busboy),
 * each chunk hashed and written to a temporary file, the type decided from the first 4 KB and
 * the kind's size limit enforced while reading. A refused file is deleted at once; the rest of
 * the body is read and dropped (not stored) so a browser without JavaScript still receives the
 * answer instead of a reset connection. An accepted file is probed, moved into place under its
 * hash and recorded (row and audit entry in one transaction).
 */
import busboy, { type Busboy, type FileInfo } from 'busboy';
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Db } from '../db';
import type { AuditActor } from '../audit';
import type { Owner } from '../authoring/owner';
import { recordUpload, type MediaItem } from './library';
import { MEDIA_LIMITS, TOO_LARGE, type UploadErrorCode } from './limits';
import type { Sniffed } from './sniff';
import { isNoSpace, overServerLimit, PartWriter } from './part-writer';
import { probe } from './probe';
import { mediaDir, placeFile, sweepStaleTemps } from './store';

export interface UploadRequest {
	/** The request's Content-Type (multipart/form-data with its boundary). */
	contentType: string;
	body: ReadableStream<Uint8Array> | null;
}

/** A file received in full, in its temporary place, not yet probed. */
export interface Received {
	ok: true;
	temp: string;
	sha256: string;
	size: number;
	sniffed: Sniffed;
	fileName: string;
}

export type Refused = { ok: false; code: UploadErrorCode };

const refused = (code: UploadErrorCode): Refused => ({ ok: false, code });

/** The field the upload form names its file. */
export const FILE_FIELD = 'file';

const MAX_NAME = 200;
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** The uploader's file name as shown and downloaded: its last path part, printable, at most 200 characters. */
export function cleanFileName(raw: string | undefined): string {
	const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
	const name = base.replace(UNPRINTABLE, '').trim();
	return [...name].slice(-MAX_NAME).join('') || '未命名文件';
}

/**
 * One file part, consumed to its end whatever happens: busboy (and so the request) waits until
 * it is, so nothing in the read loop may throw or stop reading. Written while acceptable; from
 * the first byte that is not, the temporary file is deleted and the rest read and dropped.
 */
class FileWriter extends PartWriter<UploadErrorCode> {
	private hash = createHash('sha256');
	private sniffed: Sniffed | null | undefined;

	private constructor(private fileName: string) {
		super();
	}

	static async receive(stream: Readable, info: FileInfo, dir: string): Promise<Received | Refused> {
		const writer = new FileWriter(cleanFileName(info.filename));
		await writer.openTemp(dir);
		try {
			for await (const chunk of stream) await writer.take(chunk as Buffer);
		} catch {
			// The body broke off (client gone, malformed multipart, server body limit): pipeline says why.
			await writer.discard();
			return refused('incomplete');
		}
		return writer.finish();
	}

	private async take(chunk: Buffer): Promise<void> {
		if (this.refusal) return; // drained, not stored
		this.size += chunk.length;
		if (this.sniffed === undefined) await this.decideType(chunk, false);
		if (!this.refusal && this.sniffed && this.size > MEDIA_LIMITS[this.sniffed.limitKind])
			this.refusal = TOO_LARGE[this.sniffed.limitKind];
		if (this.refusal) return this.discard();
		this.hash.update(chunk);
		await this.write(chunk);
	}

	/** Decides the type once the first 4 KB are here (or the file ended before). */
	private async decideType(chunk: Buffer | null, ended: boolean): Promise<void> {
		const found = await this.sniffHead(chunk, ended);
		if (found === undefined) return;
		this.sniffed = found;
		if (!found) this.refusal = 'type';
	}

	private async finish(): Promise<Received | Refused> {
		if (!this.refusal && this.size === 0) this.refusal = 'empty';
		if (!this.refusal && this.sniffed === undefined) await this.decideType(null, true);
		if (this.fault) throw this.fault;
		if (this.refusal || !this.sniffed) {
			await this.discard();
			return refused(this.refusal ?? 'type');
		}
		await this.fh!.close();
		this.fh = null;
		const { temp, size, sniffed, fileName } = this;
		return { ok: true, temp: temp!, sha256: this.hash.digest('hex'), size, sniffed, fileName };
	}
}

function parser(contentType: string): Busboy | null {
	try {
		return busboy({
			headers: { 'content-type': contentType },
			// Browsers send the file name as raw UTF-8 (中文.png), not RFC 2231's encoding.
			defParamCharset: 'utf8',
			// No fileSize: the writer enforces each kind's limit itself, and busboy's own would
			// skip the rest of the part without backpressure. The body as a whole is bounded by
			// the endpoint's Content-Length check and adapter-node's BODY_SIZE_LIMIT.
			limits: { files: 3, fields: 10, fieldSize: 1024, parts: 12 }
		});
	} catch {
		// No boundary, or not multipart at all.
		return null;
	}
}

/**
 * Reads the multipart body to its end and returns its `file` part in a temporary file, or the
 * refusal. Every other part is read and dropped. Never leaves a temporary file behind on refusal.
 */
export async function receiveFile(request: UploadRequest, dir: string): Promise<Received | Refused> {
	const form = request.body && parser(request.contentType);
	if (!request.body || !form) return refused('incomplete');
	let file: Promise<Received | Refused> | undefined;
	form.on('file', (name: string, stream: Readable, info: FileInfo) => {
		// The body may break off before the file is read (while its temporary file opens): that
		// error is kept on the stream (errored) and thrown by the read loop, never left unheard.
		stream.on('error', () => undefined);
		if (name !== FILE_FIELD || file) return void stream.resume();
		file = FileWriter.receive(stream, info, dir);
	});
	let broken: UploadErrorCode | null = null;
	try {
		await pipeline(Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>), form);
	} catch (e) {
		broken = overServerLimit(e) ? 'server_limit' : 'incomplete';
	}
	const outcome = await file;
	if (broken) {
		if (outcome?.ok) await rm(outcome.temp, { force: true });
		// A file refused before the body broke off (too large, wrong type) says why.
		return outcome && !outcome.ok && outcome.code !== 'incomplete' ? outcome : refused(broken);
	}
	return outcome ?? refused('empty');
}

export type UploadResult = { ok: true; media: MediaItem; existing: boolean } | Refused;

/**
 * An author's upload, start to end: received (streamed to a temporary file), probed, moved into
 * place under its hash and recorded for the owner. A refusal leaves no file, no row, no entry.
 */
export async function uploadMedia(
	db: Db,
	actor: AuditActor,
	owner: Owner,
	request: UploadRequest,
	dir: string = mediaDir()
): Promise<UploadResult> {
	await sweepStaleTemps(dir);
	const received = await receiveFile(request, dir);
	if (!received.ok) return received;
	try {
		const probed = await probe(received.temp, received.sniffed);
		if (!probed.ok) return probed;
		await placeFile(received.temp, received.sha256, dir);
		const { kind, mime, durationSeconds } = probed;
		const { sha256, size, fileName } = received;
		return {
			ok: true,
			...recordUpload(db, actor, owner, { sha256, kind, mime, size, fileName, durationSeconds })
		};
	} catch (e) {
		if (isNoSpace(e)) return refused('storage');
		throw e;
	} finally {
		// Gone already when moved into place.
		await rm(received.temp, { force: true });
	}
}
