/**
 * Reads what an MP4/M4A file holds (ISO/IEC 14496-12 boxes): each track's handler and codec,
 * and the duration. music-metadata names every 'mp4a' entry AAC (MP3 in MP4 too) and gives no
 * duration for a video without sound, so the few boxes needed are read here, by offset from the
 * file on disk: the sample tables and the media data are skipped, never read into memory.
 */
import { open, type FileHandle } from 'node:fs/promises';

export interface Mp4Track {
	/** The handler type: 'vide', 'soun', or another (subtitles, timecode…). */
	handler: string;
	/** The sample entry's format, e.g. 'avc1', 'hvc1', 'mp4a'. */
	codec: string;
	/** For 'mp4a': the decoder's objectTypeIndication (0x40 = MPEG-4 audio, AAC; 0x6B = MP3). */
	objectType: number | null;
}

export interface Mp4Info {
	durationSeconds: number;
	tracks: Mp4Track[];
}

/** A file whose boxes do not fit together. */
export class Mp4Error extends Error {}

interface Box {
	type: string;
	/** Where its content starts (after the header) and where the box ends. */
	start: number;
	end: number;
}

// A real file has a few hundred boxes on the paths read here; a crafted one could have millions.
const MAX_BOXES = 10_000;
// A sample description is a few hundred bytes; larger is no file a camera or encoder writes.
const MAX_STSD_BYTES = 64 * 1024;

class Reader {
	private boxesLeft = MAX_BOXES;
	constructor(private fh: FileHandle) {}

	async at(position: number, length: number): Promise<Buffer> {
		const buffer = Buffer.alloc(length);
		const { bytesRead } = await this.fh.read(buffer, 0, length, position);
		return buffer.subarray(0, bytesRead);
	}

	/** The boxes between two offsets, headers only. */
	async children(start: number, end: number): Promise<Box[]> {
		const out: Box[] = [];
		for (let pos = start; pos + 8 <= end;) {
			if (--this.boxesLeft < 0) throw new Mp4Error('too many boxes');
			const header = await this.at(pos, 16);
			if (header.length < 8) throw new Mp4Error('truncated box header');
			let size = header.readUInt32BE(0);
			let headerSize = 8;
			if (size === 1) {
				if (header.length < 16) throw new Mp4Error('truncated large box header');
				size = Number(header.readBigUInt64BE(8));
				headerSize = 16;
			} else if (size === 0) size = end - pos; // to the end of the enclosing box
			if (size < headerSize || pos + size > end) throw new Mp4Error('box runs past its parent');
			out.push({ type: header.toString('latin1', 4, 8), start: pos + headerSize, end: pos + size });
			pos += size;
		}
		return out;
	}

	/** The boxes inside a box, by type (the first of each). */
	async inside(parent: Box): Promise<Map<string, Box>> {
		const found = new Map<string, Box>();
		for (const box of await this.children(parent.start, parent.end))
			if (!found.has(box.type)) found.set(box.type, box);
		return found;
	}

	async content(box: Box, max: number): Promise<Buffer> {
		if (box.end - box.start > max) throw new Mp4Error(`${box.type} box too large`);
		return this.at(box.start, box.end - box.start);
	}
}

/** Timescale and duration of an mvhd or mdhd box (same layout for these fields). */
function timing(content: Buffer): { timescale: number; duration: number } {
	const v1 = content[0] === 1;
	if (content.length < (v1 ? 32 : 20)) throw new Mp4Error('short header box');
	const timescale = content.readUInt32BE(v1 ? 20 : 12);
	const raw = v1 ? content.readBigUInt64BE(24) : BigInt(content.readUInt32BE(16));
	// All ones means "unknown" (fragmented files).
	const unknown = raw === (v1 ? 0xffffffffffffffffn : 0xffffffffn);
	return { timescale, duration: unknown ? 0 : Number(raw) };
}

function seconds({ timescale, duration }: { timescale: number; duration: number }): number {
	return timescale > 0 ? duration / timescale : 0;
}

/** The length of an MPEG-4 descriptor (1–4 bytes of 7 bits) and where its content starts. */
function descriptorLength(data: Buffer, pos: number): { length: number; next: number } {
	let length = 0;
	for (let i = 0; i < 4 && pos < data.length; i++) {
		const byte = data[pos++]!;
		length = (length << 7) | (byte & 0x7f);
		if (!(byte & 0x80)) break;
	}
	return { length, next: pos };
}

/** objectTypeIndication of an esds box's content, or null when absent. */
function objectType(esds: Buffer): number | null {
	let pos = 4; // version and flags
	if (esds[pos] !== 0x03) return null; // ES_Descriptor
	pos = descriptorLength(esds, pos + 1).next + 2; // ES_ID
	const flags = esds[pos++] ?? 0;
	if (flags & 0x80) pos += 2; // dependsOn_ES_ID
	if (flags & 0x40) pos += 1 + (esds[pos] ?? 0); // URL
	if (flags & 0x20) pos += 2; // OCR_ES_Id
	if (esds[pos] !== 0x04) return null; // DecoderConfigDescriptor
	return esds[descriptorLength(esds, pos + 1).next] ?? null;
}

/** Finds an esds box among a sample entry's children (inside QuickTime's 'wave' too). */
function findEsds(data: Buffer, start: number, end: number, depth = 0): Buffer | null {
	for (let pos = start; pos + 8 <= end;) {
		const size = data.readUInt32BE(pos);
		if (size < 8 || pos + size > end) return null;
		const type = data.toString('latin1', pos + 4, pos + 8);
		if (type === 'esds') return data.subarray(pos + 8, pos + size);
		if (type === 'wave' && depth === 0) return findEsds(data, pos + 8, pos + size, 1);
		pos += size;
	}
	return null;
}

/** The first sample entry of an stsd box: its format and (for mp4a) the object type. */
function sampleEntry(stsd: Buffer): { codec: string; objectType: number | null } {
	if (stsd.length < 16 || stsd.readUInt32BE(4) < 1) throw new Mp4Error('empty sample description');
	const size = stsd.readUInt32BE(8);
	if (size < 8 || 8 + size > stsd.length) throw new Mp4Error('bad sample entry');
	const entry = stsd.subarray(8, 8 + size);
	const codec = entry.toString('latin1', 4, 8);
	if (codec !== 'mp4a' || entry.length < 36) return { codec, objectType: null };
	// QuickTime sound descriptions version 1 and 2 are 16 and 36 bytes longer than version 0.
	const version = entry.readUInt16BE(16);
	const childrenAt = 36 + (version === 1 ? 16 : version === 2 ? 36 : 0);
	const esds = findEsds(entry, childrenAt, entry.length);
	return { codec, objectType: esds ? objectType(esds) : null };
}

async function readTrack(r: Reader, trak: Box): Promise<{ track: Mp4Track; seconds: number } | null> {
	const mdia = (await r.inside(trak)).get('mdia');
	if (!mdia) return null;
	const boxes = await r.inside(mdia);
	const [hdlr, mdhd, minf] = [boxes.get('hdlr'), boxes.get('mdhd'), boxes.get('minf')];
	if (!hdlr || !minf) return null;
	const handler = (await r.content(hdlr, 4096)).toString('latin1', 8, 12);
	const stbl = (await r.inside(minf)).get('stbl');
	const stsd = stbl && (await r.inside(stbl)).get('stsd');
	if (!stsd) throw new Mp4Error('track without sample description');
	const entry = sampleEntry(await r.content(stsd, MAX_STSD_BYTES));
	const duration = mdhd ? seconds(timing(await r.content(mdhd, 4096))) : 0;
	return { track: { handler, ...entry }, seconds: duration };
}

/** The movie's duration: mvhd, else the fragments' (mehd), else the longest track. */
async function movieSeconds(r: Reader, moov: Box[], trackSeconds: number[]): Promise<number> {
	const mvhd = moov.find((b) => b.type === 'mvhd');
	const movie = mvhd ? timing(await r.content(mvhd, 4096)) : { timescale: 0, duration: 0 };
	if (movie.duration > 0) return seconds(movie);
	const mvex = moov.find((b) => b.type === 'mvex');
	const mehd = mvex && (await r.inside(mvex)).get('mehd');
	if (mehd) {
		const content = await r.content(mehd, 4096);
		const v1 = content[0] === 1;
		const duration = v1 ? Number(content.readBigUInt64BE(4)) : content.readUInt32BE(4);
		if (duration > 0) return seconds({ timescale: movie.timescale, duration });
	}
	return Math.max(0, ...trackSeconds);
}

/** Reads an MP4 file's tracks and duration; throws Mp4Error when its boxes do not fit together. */
export async function readMp4(path: string): Promise<Mp4Info> {
	const fh = await open(path, 'r');
	try {
		const r = new Reader(fh);
		const { size } = await fh.stat();
		const moov = (await r.children(0, size)).find((b) => b.type === 'moov');
		if (!moov) throw new Mp4Error('no moov box');
		const inMoov = await r.children(moov.start, moov.end);
		const tracks: Mp4Track[] = [];
		const trackSeconds: number[] = [];
		for (const trak of inMoov.filter((b) => b.type === 'trak')) {
			const read = await readTrack(r, trak);
			if (!read) continue;
			tracks.push(read.track);
			trackSeconds.push(read.seconds);
		}
		return { durationSeconds: await movieSeconds(r, inMoov, trackSeconds), tracks };
	} catch (e) {
		// A RangeError from a Buffer read past a short box is the same broken file.
		if (e instanceof RangeError) throw new Mp4Error(e.message);
		throw e;
	} finally {
		await fh.close();
	}
}
