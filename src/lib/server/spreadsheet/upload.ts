/** The spreadsheet an import form posts (field `file`), taken from the request within a size bound. */

// The form's own fields and the multipart boundaries around the file.
const FORM_OVERHEAD = 64 * 1024;

export interface SheetUploadLimits {
	/** The file's size at most, in bytes. */
	bytes: number;
	/** What a larger file is told (also a body whose declared length is larger). */
	tooLarge: string;
	/** What a body stopped by the server's own limit (BODY_SIZE_LIMIT) is told; `tooLarge` by default. */
	cutOff?: string;
}

export type SheetUpload = { ok: true; file: File } | { ok: false; message: string };

/**
 * The posted spreadsheet, or why not (in Chinese, for the form's `file` field): refused from its
 * declared length before any of it is read, then by the file's own size.
 */
export async function receiveSheet(request: Request, limits: SheetUploadLimits): Promise<SheetUpload> {
	if (Number(request.headers.get('content-length')) > limits.bytes + FORM_OVERHEAD)
		return { ok: false, message: limits.tooLarge };
	let file: FormDataEntryValue | null;
	try {
		file = (await request.formData()).get('file');
	} catch (e) {
		// The server's own body limit (BODY_SIZE_LIMIT) stopped the upload part-way, or the form was malformed.
		const status = (e as { status?: number }).status;
		return {
			ok: false,
			message: status === 413 ? (limits.cutOff ?? limits.tooLarge) : '上传没有完成：请重新选择文件后再试'
		};
	}
	if (!(file instanceof File) || file.size === 0 || !file.name)
		return { ok: false, message: '请选择要上传的 .xlsx 或 .csv 文件' };
	if (file.size > limits.bytes) return { ok: false, message: limits.tooLarge };
	return { ok: true, file };
}
