import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { recordView } from '$lib/server/courses/views';
import { userTalks } from '$lib/server/outreach';
import { managedMember } from '$lib/server/users/members';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, params }) => {
	const db = getDb();
	const member = managedMember(db, locals.user!, Number(params.id));
	if (!member) error(404, { message: '没有找到这个成员，或不在您的管理范围内' });
	const record = recordView(db, member.id);
	if (!record) error(404, { message: '没有找到这个成员，或不在您的管理范围内' });
	return { record, talks: userTalks(db, member.id) };
};
