import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { download, xlsxBookStream } from '$lib/server/participation/export';
import { outreachWorkbook } from '$lib/server/outreach';
import type { RequestHandler } from './$types';

/** The period's talks of an office and those below it (one row per talk) with a 汇总 sheet, for the level above. */
export const GET: RequestHandler = ({ locals, url }) => {
	const book = outreachWorkbook(getDb(), locals.user!, url.searchParams);
	if (!book) error(404, { message: '没有找到这个单位，或不在您的管理范围内' });
	return download(xlsxBookStream(book.sheets), book.fileName, 'xlsx');
};
