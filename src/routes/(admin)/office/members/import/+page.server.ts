import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { stageImport } from '$lib/server/users/import';
import { SpreadsheetError } from '$lib/server/users/spreadsheet';
import type { Actions } from './$types';

const MAX_BYTES = 5 * 1024 * 1024;
// The form's own fields and multipart boundaries around the file.
const FORM_OVERHEAD = 64 * 1024;
const TOO_LARGE = '文件不能超过 5 MB：请删去多余的工作表或内容后重试';

export const actions: Actions = {
	default: async ({ request, locals }) => {
		// Refused from its declared length, before any of it is read.
		if (Number(request.headers.get('content-length')) > MAX_BYTES + FORM_OVERHEAD)
			return refuse(400, { file: TOO_LARGE });
		let file: FormDataEntryValue | null;
		try {
			file = (await request.formData()).get('file');
		} catch (e) {
			// The server's own body limit (BODY_SIZE_LIMIT) stopped the upload part-way, or the form was malformed.
			const status = (e as { status?: number }).status;
			return refuse(400, {
				file:
					status === 413
						? '文件太大，服务器未能完整接收：请缩小文件后重试'
						: '上传没有完成：请重新选择文件后再试'
			});
		}
		if (!(file instanceof File) || file.size === 0 || !file.name) {
			return refuse(400, { file: '请选择要上传的 .xlsx 或 .csv 文件' });
		}
		if (file.size > MAX_BYTES) return refuse(400, { file: TOO_LARGE });
		let id: string;
		try {
			id = (await stageImport(getDb(), locals.user!, file.name, new Uint8Array(await file.arrayBuffer()))).id;
		} catch (e) {
			if (e instanceof SpreadsheetError) return refuse(400, { file: e.message });
			throw e;
		}
		redirect(303, `/office/members/import/${id}`);
	}
};
