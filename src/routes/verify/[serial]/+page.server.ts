import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { verifyCertificate } from '$lib/server/courses/certificates';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	// Public: only name, course, 学时 and date, nothing else of the person.
	const certificate = verifyCertificate(getDb(), params.serial);
	if (!certificate) error(404, { message: `未找到编号为 ${params.serial.trim().slice(0, 40)} 的证书` });
	return { certificate };
};
