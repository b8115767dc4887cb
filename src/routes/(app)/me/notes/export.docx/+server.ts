import { getDb } from '$lib/server/db';
import { notesExport } from '$lib/server/notes';
import type { RequestHandler } from './$types';

/** 导出笔记: every note of the user, with its passage and source, as a Word document. */
export const GET: RequestHandler = async ({ locals }) => {
	const { body, fileName } = await notesExport(getDb(), locals.user!);
	return new Response(new Uint8Array(body), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
			'cache-control': 'private, no-store'
		}
	});
};
