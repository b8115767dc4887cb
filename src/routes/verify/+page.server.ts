import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** The lookup form is a GET form: a typed serial goes straight to its page. */
export const load: PageServerLoad = ({ url }) => {
	const raw = url.searchParams.get('serial');
	if (raw === null) return { error: null };
	const serial = raw.trim().toUpperCase();
	if (!serial) return { error: '请输入证书编号' };
	redirect(303, `/verify/${encodeURIComponent(serial)}`);
};
