import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { NOT_FOUND } from '$lib/server/authoring';
import { exportBank, fileResponse } from '$lib/server/question-bank';
import type { RequestHandler } from './$types';

/** The draft's question bank as a file: the Excel template (.xlsx, .csv), GIFT or Aiken. */
export const GET: RequestHandler = async ({ params, locals }) => {
	const file = await exportBank(getDb(), locals.user!, Number(params.id), params.kind);
	if (!file) error(404, { message: NOT_FOUND });
	return fileResponse(file);
};
