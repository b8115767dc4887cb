import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { recordView, userOffice } from '$lib/server/courses/views';
import { canManageOffice } from '$lib/server/org/offices';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, params }) => {
	const db = getDb();
	const member = userOffice(db, Number(params.id) || 0);
	// Outside the admin's offices a member does not exist, as far as this page is concerned.
	if (!member || !canManageOffice(db, locals.user!, member.officeId)) error(404, { message: '没有这个成员，或不在您管理的单位' });
	const record = recordView(db, member.id);
	if (!record) error(404, { message: '没有这个成员，或不在您管理的单位' });
	return { record };
};
