import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { getCertificate, qrSvg } from '$lib/server/courses/certificates';
import { userOffice } from '$lib/server/courses/views';
import { canManageOffice } from '$lib/server/org/offices';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const db = getDb();
	const user = locals.user!;
	const cert = getCertificate(db, params.serial);
	// Its owner, the admins of the owner's office (and above) and the sysadmin; to anyone else it does not exist.
	const owner = cert && userOffice(db, cert.userId);
	const allowed = !!cert && (cert.userId === user.id || (!!owner && canManageOffice(db, user, owner.officeId)) || user.role === 'sysadmin');
	if (!cert || !allowed) error(404, { message: '没有这张证书' });
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
