import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { printableResults } from '$lib/server/exams';
import { ownerOf } from '../../../../author.server';
import type { PageServerLoad } from './$types';

/** The printable 成绩单 of one office of the exam's roll-up (A4). */
export const load: PageServerLoad = ({ params, locals }) => {
	const sheet = printableResults(getDb(), ownerOf(locals), Number(params.id), Number(params.office));
	if (!sheet) error(404, { message: '没有找到这场考试或这个单位，或不在您的管理范围内' });
	return { sheet };
};
