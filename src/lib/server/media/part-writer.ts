/**
 * What media/upload.ts and outreach/photos.ts share when they stream a multipart file part to a
 * temporary file: opening it, writing with the disk's faults caught (a full disk is a refusal
 * said in Chinese, any other fault is kept and thrown once the body is read), gathering the
 * first 4 KB to decide the type, and deleting the file once the part is refused.
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import { sniff, SNIFF_BYTES, type Sniffed } from './sniff';
import { tempFilePath } from './store';

/** Whether a disk error says the disk (or the quota) is full. */
export function isNoSpace(e: unknown): boolean {
	const code = (e as { code?: string }).code;
	return code === 'ENOSPC' || code === 'EDQUOT';
}

/** Whether the body stream stopped at adapter-node's BODY_SIZE_LIMIT (it errors with status 413). */
export function overServerLimit(e: unknown): boolean {
	return (e as { status?: number }).status === 413;
}

/**
 * One file part written to a temporary file. A subclass reads the part to its end whatever
 * happens (busboy, and so the request, waits until it is), so nothing here throws: a failed disk
 * step sets `refusal` ('storage' for a full disk, else 'incomplete', the fault kept in `fault`)
 * and deletes the file.
 */
export abstract class PartWriter<R extends string> {
	protected temp: string | null = null;
	protected fh: FileHandle | null = null;
	protected size = 0;
	private head: Buffer[] = [];
	refusal: R | 'storage' | 'incomplete' | null = null;
	/** A fault of the server's disk (not a full one): thrown once the body is read. */
	fault: unknown = null;

	/** Opens the temporary file in `dir`. */
	protected openTemp(dir: string): Promise<void> {
		return this.guard(async () => {
			this.temp = await tempFilePath(dir);
			this.fh = await open(this.temp, 'wx');
		});
	}

	/** Runs a disk step; a failure stops the storing (a full disk is said in Chinese, other faults thrown later). */
	protected async guard(step: () => Promise<void>): Promise<void> {
		try {
			await step();
		} catch (e) {
			if (isNoSpace(e)) this.refusal ??= 'storage';
			else this.fault ??= e;
			this.refusal ??= 'incomplete';
			await this.discard();
		}
	}

	protected write(chunk: Buffer): Promise<void> {
		return this.guard(() => this.fh!.write(chunk).then(() => undefined));
	}

	/**
	 * Gathers the part's first bytes: undefined until 4 KB are here (or the part `ended` before),
	 * then the type sniffed from them (null when none is recognised).
	 */
	protected async sniffHead(chunk: Buffer | null, ended: boolean): Promise<Sniffed | null | undefined> {
		if (chunk) this.head.push(chunk);
		if (!ended && this.size < SNIFF_BYTES) return undefined;
		const found = await sniff(Buffer.concat(this.head)).catch(() => null);
		this.head = [];
		return found;
	}

	/** Closes and deletes the temporary file (once refused, nothing of the part stays). */
	async discard(): Promise<void> {
		const fh = this.fh;
		this.fh = null;
		await fh?.close().catch(() => undefined);
		if (this.temp) await rm(this.temp, { force: true });
	}
}
