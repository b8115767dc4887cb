import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { resultsExport } from '$lib/server/exams';
import { download, xlsxStream } from '$lib/server/participation/export';
import { ownerOf } from '../../../author.server';
import { EXAM_NOT_FOUND } from '../../exam.server';
import type { RequestHandler } from './$types';

/** 成绩单 (.xlsx): every candidate with the attempt that counts, per-question scores, total, pass; absentees as 缺考. */
export const GET: RequestHandler = ({ params, locals }) => {
	const made = resultsExport(getDb(), ownerOf(locals), Number(params.id));
	if (!made) error(404, { message: EXAM_NOT_FOUND });
	return download(xlsxStream(made.sheet), made.fileName, 'xlsx');
};
