// What the upload tests (media, talk photos) share: a request body streamed as adapter-node
// streams it, and the files an upload left in a media directory.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A body read one chunk per pull, as adapter-node hands it over. */
export function streamOf(
	chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>
): ReadableStream<Uint8Array> {
	const it =
		Symbol.asyncIterator in chunks
			? chunks[Symbol.asyncIterator]()
			: (chunks as Iterable<Uint8Array>)[Symbol.iterator]();
	return new ReadableStream<Uint8Array>(
		{
			async pull(c) {
				const r = await it.next();
				if (r.done) c.close();
				else c.enqueue(r.value);
			}
		},
		{ highWaterMark: 0 }
	);
}

/** Every file below `path`, as full paths (none when it does not exist). */
export function filesUnder(path: string): string[] {
	if (!existsSync(path)) return [];
	return readdirSync(path).flatMap((name) => {
		const full = join(path, name);
		return statSync(full).isDirectory() ? filesUnder(full) : [full];
	});
}

/** The temporary files in media directory `dir`, and the files stored there. */
export function mediaFiles(dir: string): { temps: string[]; stored: string[] } {
	const tmp = join(dir, 'tmp');
	return { temps: filesUnder(tmp), stored: filesUnder(dir).filter((f) => !f.startsWith(tmp)) };
}
