import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { receiveSheet } from '$lib/server/spreadsheet/upload';
import { stageImport } from '$lib/server/users/import';
import { SpreadsheetError } from '$lib/server/users/spreadsheet';
import type { Actions } from './$types';

const MAX_BYTES = 5 * 1024 * 1024;
const TOO_LARGE = '文件不能超过 5 MB：请删去多余的工作表或内容后重试';

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const sheet = await receiveSheet(request, {
			bytes: MAX_BYTES,
			tooLarge: TOO_LARGE,
			cutOff: '文件太大，服务器未能完整接收：请缩小文件后重试'
		});
		if (!sheet.ok) return refuse(400, { file: sheet.message });
		const { file } = sheet;
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
