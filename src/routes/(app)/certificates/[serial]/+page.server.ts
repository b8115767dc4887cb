import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { viewableCertificate } from '$lib/server/courses/certificates';
import { qrSvg } from '$lib/server/qr';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = locals.user!;
	const cert = viewableCertificate(getDb(), user, params.serial);
	if (!cert) error(404, { message: '没有找到这张证书，或您无权查看' });
	const verifyUrl = `${url.origin}/verify/${cert.serial}`;
	return {
		certificate: {
			serial: cert.serial,
			name: cert.name,
			officeName: cert.officeName,
			courseTitle: cert.courseTitle,
			hours: cert.hours,
			schoolName: cert.schoolName,
			completedOn: cert.completedOn
		},
		mine: cert.userId === user.id,
		verifyUrl,
		qr: await qrSvg(verifyUrl)
	};
};
