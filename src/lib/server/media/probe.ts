/**
 * The last check of a complete upload, read from the file on disk: the kind, the type served
 * with it and, for audio and video, the duration and the codecs browsers play everywhere
 * (H.264 video, AAC audio in MP4; MP3).
 */
import { fileTypeFromFile } from 'file-type';
import { parseFile } from 'music-metadata';
import type { MediaKind } from '../db/schema';
import type { UploadErrorCode } from './limits';
import { readMp4, Mp4Error, type Mp4Info } from './mp4';
import type { Sniffed } from './sniff';

export type Probed =
	| { ok: true; kind: MediaKind; mime: string; durationSeconds: number | null }
	| { ok: false; code: UploadErrorCode };

const H264 = new Set(['avc1', 'avc3']);
// objectTypeIndication of MPEG-4 audio (AAC, HE-AAC) and of MPEG-2 AAC's three profiles.
const AAC = new Set([0x40, 0x66, 0x67, 0x68]);

/** Whole seconds of a positive duration (a 0.4 s clip is 1 s), or null when there is none. */
function wholeSeconds(duration: number | undefined): number | null {
	return duration && Number.isFinite(duration) && duration > 0 ? Math.max(1, Math.round(duration)) : null;
}

/** Whether every video track is H.264 and every audio track AAC, with at least one of either. */
function playableEverywhere(info: Mp4Info): boolean {
	const video = info.tracks.filter((t) => t.handler === 'vide');
	const audio = info.tracks.filter((t) => t.handler === 'soun');
	return (
		video.length + audio.length > 0 &&
		video.every((t) => H264.has(t.codec)) &&
		audio.every((t) => t.codec === 'mp4a' && t.objectType !== null && AAC.has(t.objectType))
	);
}

async function probeMp4(path: string): Promise<Probed> {
	let info: Mp4Info;
	try {
		info = await readMp4(path);
	} catch (e) {
		if (e instanceof Mp4Error) return { ok: false, code: 'unreadable' };
		throw e;
	}
	if (!playableEverywhere(info)) return { ok: false, code: 'codec' };
	const durationSeconds = wholeSeconds(info.durationSeconds);
	if (durationSeconds === null) return { ok: false, code: 'unreadable' };
	// Sound only (an M4A, or an MP4 without a picture) is an audio lesson's file.
	const video = info.tracks.some((t) => t.handler === 'vide');
	return video
		? { ok: true, kind: 'video', mime: 'video/mp4', durationSeconds }
		: { ok: true, kind: 'audio', mime: 'audio/mp4', durationSeconds };
}

async function probeMp3(path: string): Promise<Probed> {
	// The head may have been an ID3 tag only: the whole file must be an MP3.
	if ((await fileTypeFromFile(path))?.mime !== 'audio/mpeg') return { ok: false, code: 'type' };
	let duration: number | undefined;
	try {
		duration = (await parseFile(path, { skipCovers: true })).format.duration;
	} catch {
		return { ok: false, code: 'unreadable' };
	}
	const durationSeconds = wholeSeconds(duration);
	if (durationSeconds === null) return { ok: false, code: 'unreadable' };
	return { ok: true, kind: 'audio', mime: 'audio/mpeg', durationSeconds };
}

export async function probe(path: string, sniffed: Sniffed): Promise<Probed> {
	switch (sniffed.family) {
		case 'image':
			return { ok: true, kind: 'image', mime: sniffed.mime, durationSeconds: null };
		case 'pdf':
			return { ok: true, kind: 'pdf', mime: sniffed.mime, durationSeconds: null };
		case 'mp4':
			return probeMp4(path);
		case 'mp3':
			return probeMp3(path);
	}
}
