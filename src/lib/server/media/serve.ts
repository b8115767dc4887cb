/**
 * Serving a media file from disk: the whole file or one byte range (phones seek in a video and
 * resume it with Range requests), read a chunk at a time as the connection takes it.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import parseRange from 'range-parser';
import type { FetchableMedia } from './access';
import { mediaFilePath, mediaDir } from './store';

const CHUNK = 64 * 1024;

/** Extensions a downloaded file of each type should carry (the uploader's name may say otherwise). */
const EXTENSIONS: Record<string, string[]> = {
	'image/png': ['png'],
	'image/jpeg': ['jpg', 'jpeg'],
	'image/webp': ['webp'],
	'application/pdf': ['pdf'],
	'video/mp4': ['mp4', 'm4v'],
	'audio/mp4': ['m4a', 'mp4'],
	'audio/mpeg': ['mp3']
};

/** The file name with the extension of its real type (a PNG named 讲义.pdf downloads as 讲义.pdf.png). */
export function downloadName(fileName: string, mime: string): string {
	const known = EXTENSIONS[mime];
	if (!known) return fileName;
	const ext = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase();
	return ext && known.includes(ext) ? fileName : `${fileName}.${known[0]}`;
}

/** RFC 6266/8187: an ASCII fallback and the UTF-8 name (Chinese names survive in every browser). */
export function contentDisposition(type: 'inline' | 'attachment', fileName: string): string {
	const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
	const encoded = encodeURIComponent(fileName).replace(
		/['()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
	);
	return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A byte range of an open file as a stream: one chunk read per pull, the file closed at the end or on cancel. */
function fileStream(fh: FileHandle, start: number, end: number): ReadableStream<Uint8Array> {
	let position = start;
	return new ReadableStream<Uint8Array>(
		{
			async pull(controller) {
				const length = Math.min(CHUNK, end + 1 - position);
				if (length <= 0) {
					await fh.close();
					return controller.close();
				}
				const buffer = Buffer.allocUnsafe(length);
				const { bytesRead } = await fh.read(buffer, 0, length, position);
				if (bytesRead === 0) {
					await fh.close();
					return controller.error(new Error('media file shorter than its record'));
				}
				position += bytesRead;
				controller.enqueue(buffer.subarray(0, bytesRead));
			},
			async cancel() {
				await fh.close();
			}
		},
		// Nothing read ahead: one chunk in memory per response, whatever the client's speed.
		{ highWaterMark: 0 }
	);
}

/** Whether If-None-Match names this version (a list, weak tags and `*` included). */
function matchesEtag(header: string | null, etag: string): boolean {
	if (!header) return false;
	return header.split(',').some((tag) => {
		const t = tag.trim();
		return t === '*' || t.replace(/^W\//, '') === etag;
	});
}

type Range = { start: number; end: number };

/**
 * The one range asked for; 'unsatisfiable' for a range past the end; null for the whole file (no
 * Range, a malformed one, several ranges, or an If-Range naming another version).
 */
function requestedRange(request: Request, size: number, etag: string): Range | 'unsatisfiable' | null {
	const header = request.headers.get('range');
	if (!header) return null;
	const ifRange = request.headers.get('if-range');
	if (ifRange !== null && ifRange !== etag) return null;
	const ranges = parseRange(size, header, { combine: true });
	if (ranges === -1) return 'unsatisfiable';
	if (ranges === -2 || ranges.type !== 'bytes' || ranges.length !== 1) return null;
	return ranges[0]!;
}

function baseHeaders(item: FetchableMedia, download: boolean): Headers {
	const disposition = download ? 'attachment' : 'inline';
	const headers = new Headers({
		'content-type': item.mime,
		'accept-ranges': 'bytes',
		etag: `"${item.sha256}"`,
		// Kept by the browser but checked on each use (a 304 by ETag): access can end, the bytes never change.
		'cache-control': 'private, no-cache',
		'content-disposition': contentDisposition(disposition, downloadName(item.fileName, item.mime)),
		'x-content-type-options': 'nosniff',
		// Only pages of this site may embed it.
		'cross-origin-resource-policy': 'same-origin'
	});
	// The closed policy every other response gets (security-headers.ts) keeps the browser's PDF
	// viewer from styling its own page; a PDF runs no script of this site, so it gets none but framing.
	if (item.kind === 'pdf') headers.set('content-security-policy', "frame-ancestors 'none'");
	return headers;
}

export interface ServeOptions {
	/** `?download=1`: saved as a file instead of opened in the browser. */
	download: boolean;
	/** HEAD: the headers only. */
	headOnly: boolean;
	dir?: string;
}

/** The response for a media file the user may fetch; null when the file is missing on disk. */
export async function mediaResponse(
	item: FetchableMedia,
	request: Request,
	{ download, headOnly, dir = mediaDir() }: ServeOptions
): Promise<Response | null> {
	const path = mediaFilePath(item.sha256, dir);
	const size = await stat(path).then(
		(s) => s.size,
		() => null
	);
	if (size === null) return null;
	const headers = baseHeaders(item, download);
	if (matchesEtag(request.headers.get('if-none-match'), headers.get('etag')!))
		return new Response(null, { status: 304, headers });
	const range = requestedRange(request, size, headers.get('etag')!);
	if (range === 'unsatisfiable') {
		headers.set('content-range', `bytes */${size}`);
		headers.delete('content-disposition');
		return new Response(null, { status: 416, headers });
	}
	const { start, end } = range ?? { start: 0, end: size - 1 };
	headers.set('content-length', String(end - start + 1));
	if (range) headers.set('content-range', `bytes ${start}-${end}/${size}`);
	const status = range ? 206 : 200;
	if (headOnly) return new Response(null, { status, headers });
	return new Response(fileStream(await open(path, 'r'), start, end), { status, headers });
}
