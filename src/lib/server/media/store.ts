/**
 * Where media files live: MEDIA_DIR, by default a `media` folder beside the database file.
 * Each file is stored once under its SHA-256 (`<dir>/ab/abcdef…`), however many owners upload
 * it; an upload is written to `<dir>/tmp/` first and moved into place only once accepted, so a
 * half-received or refused file never sits where a media row could point.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_DATABASE_URL } from '../db';

/** The media directory from the environment (tests pass their own directory instead). */
export function mediaDir(): string {
	if (process.env.MEDIA_DIR) return resolve(process.env.MEDIA_DIR);
	const database = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
	// An in-memory database has no folder to sit beside.
	if (database === ':memory:') throw new Error('MEDIA_DIR must be set when DATABASE_URL is :memory:');
	return join(dirname(resolve(database)), 'media');
}

const SHA256 = /^[0-9a-f]{64}$/;

/** The stored file of a SHA-256 (lower-case hex, as the media rows keep it). */
export function mediaFilePath(sha256: string, dir: string = mediaDir()): string {
	// The hash comes from our own rows, but a path is built from it: never let it climb out.
	if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
	return join(dir, sha256.slice(0, 2), sha256);
}

function tempDir(dir: string): string {
	return join(dir, 'tmp');
}

/** A fresh temporary file name for one upload (the folder is created). */
export async function tempFilePath(dir: string): Promise<string> {
	await mkdir(tempDir(dir), { recursive: true });
	return join(tempDir(dir), `${randomBytes(12).toString('hex')}.part`);
}

/**
 * Moves an accepted upload into place. A file of the same hash may already be there (another
 * owner, or a race with the same upload): its bytes are the same, so replacing it is harmless.
 */
export async function placeFile(temp: string, sha256: string, dir: string): Promise<void> {
	const target = mediaFilePath(sha256, dir);
	await mkdir(dirname(target), { recursive: true });
	await rename(temp, target);
}

// No upload takes a day; a temporary file that old was left by a process that died mid-upload.
const STALE_MS = 24 * 3_600_000;

/** Removes temporary files left by crashed processes (best effort, at each upload). */
export async function sweepStaleTemps(dir: string, now = Date.now()): Promise<void> {
	let names: string[];
	try {
		names = await readdir(tempDir(dir));
	} catch {
		return;
	}
	for (const name of names) {
		const path = join(tempDir(dir), name);
		try {
			if (now - (await stat(path)).mtimeMs > STALE_MS) await rm(path, { force: true });
		} catch {
			// Gone already (another worker swept it).
		}
	}
}
