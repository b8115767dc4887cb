import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { normaliseSerial, verifyCertificate } from '$lib/server/courses/certificates';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	const serial = normaliseSerial(params.serial);
	if (!serial) error(400, { message: '这个网址里的证书编号不完整或有误' });
	// Public: only name, course, 学时 and date, nothing else of the person.
	const certificate = verifyCertificate(getDb(), serial);
	if (!certificate) error(404, { message: `没有找到编号为 ${serial} 的证书` });
	return { certificate };
};
