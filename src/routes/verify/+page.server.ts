import { redirect } from '@sveltejs/kit';
import { normaliseSerial } from '$lib/server/courses/certificates';
import type { PageServerLoad } from './$types';

/** The lookup form is a GET form: a typed serial goes straight to its page. */
export const load: PageServerLoad = ({ url }) => {
	const raw = url.searchParams.get('serial');
	if (raw === null) return { error: null };
	if (!raw.trim()) return { error: '请输入证书编号' };
	const serial = normaliseSerial(raw);
	if (!serial) return { error: '证书编号格式不正确，应形如 LL2026-ABCD-EFGH-IJKL' };
	redirect(303, `/verify/${serial}`);
};
