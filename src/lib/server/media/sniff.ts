/**
 * The type of an upload from its first bytes (file-type's magic numbers), never from its name
 * or the Content-Type the browser sent. Decided as soon as the first 4 KB arrive, so the limit
 * of the kind applies while the rest is still being read.
 */
import { fileTypeFromBuffer } from 'file-type';
import type { MediaKind } from '../db/schema';

/** How much file-type needs to decide every type we take (its documented minimum). */
export const SNIFF_BYTES = 4100;

/** What the first bytes say; audio/video containers are checked further once complete (probe.ts). */
export interface Sniffed {
	family: 'image' | 'pdf' | 'mp4' | 'mp3';
	mime: string;
	/** The kind whose size limit applies while reading (an MP4 is a video until probed). */
	limitKind: MediaKind;
}

const IMAGES: Record<string, string> = {
	'image/png': 'image/png',
	// An animated PNG is a PNG to every browser.
	'image/apng': 'image/png',
	'image/jpeg': 'image/jpeg',
	'image/webp': 'image/webp'
};

// The ISO base media brands file-type names (isom/mp42 video, M4A audio, M4V video);
// QuickTime (.mov) is not among them: browsers do not all play it.
const MP4_TYPES = new Set(['video/mp4', 'audio/mp4', 'audio/x-m4a', 'video/x-m4v']);

const ID3 = [0x49, 0x44, 0x33];

export async function sniff(head: Uint8Array): Promise<Sniffed | null> {
	const found = await fileTypeFromBuffer(head);
	const mime = found?.mime;
	if (mime && IMAGES[mime]) return { family: 'image', mime: IMAGES[mime], limitKind: 'image' };
	if (mime === 'application/pdf') return { family: 'pdf', mime, limitKind: 'pdf' };
	if (mime && MP4_TYPES.has(mime)) return { family: 'mp4', mime: 'video/mp4', limitKind: 'video' };
	if (mime === 'audio/mpeg') return { family: 'mp3', mime, limitKind: 'audio' };
	// An ID3 tag (cover art) can be longer than the head: file-type sees the MP3 frames only in
	// the whole file, which probe.ts checks once it is here.
	if (!found && ID3.every((b, i) => head[i] === b))
		return { family: 'mp3', mime: 'audio/mpeg', limitKind: 'audio' };
	return null;
}
