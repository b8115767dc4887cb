import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { managedOfficeOptions } from '$lib/server/org/scope';
import { memberForEdit, updateMember } from '$lib/server/users/members';
import { formFields } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

// Outside the admin's offices a member does not exist, as far as this page is concerned.
const NOT_FOUND = '没有找到这个成员，或不在您的管理范围内';

export const load: PageServerLoad = ({ locals, params }) => {
	const db = getDb();
	const member = memberForEdit(db, locals.user!, Number(params.id));
	if (!member) error(404, { message: NOT_FOUND });
	return { member, offices: managedOfficeOptions(db, locals.user!) };
};

export const actions: Actions = {
	default: async (event) => {
		const values = formFields(await event.request.formData());
		const result = updateMember(getDb(), actorOf(event), Number(event.params.id), values);
		if (result.ok) return { notice: '已保存' };
		if ('missing' in result) error(404, { message: NOT_FOUND });
		return refuse(400, result.errors, values);
	}
};
