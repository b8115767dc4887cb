import yauzl from 'yauzl';

// Office files (.xlsx, .docx) are zips of XML parts, and a few kilobytes of zip can unzip to
// gigabytes. Every reader of an upload opens it here: the zip's directory is read and bounded
// (number of parts, the sizes they declare) before anything is unzipped. yauzl refuses a part
// that unzips to more than it declared, so the declared sizes are the true ones for every part
// read through it (and `verifyZipSizes` checks them all for readers that unzip by other means).

/** A zip's parts by name, lower-cased (part names are case-insensitive in OOXML). */
export type ZipEntries = Map<string, yauzl.Entry>;

export interface ZipBounds {
	maxEntries: number;
	maxUnzippedBytes: number;
	/** The errors to throw (each reader speaks of its own kind of file). */
	tooManyEntries: () => Error;
	tooLarge: () => Error;
}

/** The zip held in `bytes`, or null when it is not one. */
export async function openZip(bytes: Uint8Array): Promise<yauzl.ZipFile | null> {
	try {
		return await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
			strictFileNames: false
		});
	} catch {
		return null;
	}
}

/** The zip's directory, refused before anything is unzipped when it is out of bounds. */
export async function zipDirectory(zip: yauzl.ZipFile, bounds: ZipBounds): Promise<ZipEntries> {
	if (zip.entryCount > bounds.maxEntries) throw bounds.tooManyEntries();
	const entries: ZipEntries = new Map();
	let total = 0;
	for await (const entry of zip.eachEntry()) {
		total += entry.uncompressedSize;
		if (total > bounds.maxUnzippedBytes) throw bounds.tooLarge();
		entries.set(entry.fileName.toLowerCase(), entry);
	}
	return entries;
}

/**
 * Unzips every part and throws the bytes away, so that a library reading the zip by its own
 * means afterwards reads no more than the directory declared: a part that unzips to more
 * than its declared size (or is corrupt) makes this throw as soon as it does.
 */
export async function verifyZipSizes(zip: yauzl.ZipFile, entries: ZipEntries): Promise<void> {
	for (const entry of entries.values()) {
		if (entry.fileName.endsWith('/')) continue;
		const stream = await zip.openReadStreamPromise(entry);
		for await (const chunk of stream) void chunk;
	}
}
