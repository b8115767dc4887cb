import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { stageImport } from '$lib/server/users/import';
import { SpreadsheetError } from '$lib/server/users/spreadsheet';
import type { Actions } from './$types';

const MAX_BYTES = 5 * 1024 * 1024;

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const file = (await request.formData()).get('file');
		if (!(file instanceof File) || file.size === 0 || !file.name) {
			return fail(400, { error: '请选择要上传的 .xlsx 或 .csv 文件' });
		}
		if (file.size > MAX_BYTES) return fail(400, { error: '文件不能超过 5 MB' });
		let id: string;
		try {
			id = (await stageImport(getDb(), locals.user!, file.name, new Uint8Array(await file.arrayBuffer()))).id;
		} catch (e) {
			if (e instanceof SpreadsheetError) return fail(400, { error: e.message });
			throw e;
		}
		redirect(303, `/office/members/import/${id}`);
	}
};
