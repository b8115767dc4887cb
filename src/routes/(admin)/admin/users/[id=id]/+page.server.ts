import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { saveAccount } from '$lib/server/users/accounts';
import { accountFormOptions } from '$lib/server/users/account-options';
import { getUser, resetMemberPassword, setMemberActive } from '$lib/server/users/members';
import { formFields } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
	const db = getDb();
	const user = getUser(db, Number(params.id));
	if (!user) error(404, { message: '没有找到这个账号' });
	// Only the fields the page shows: never the password hash.
	const account = {
		id: user.id,
		name: user.name,
		username: user.username,
		role: user.role,
		officeId: user.officeId,
		schoolId: user.schoolId,
		title: user.title,
		phone: user.phone,
		active: user.active
	};
	return { account, ...accountFormOptions(db) };
};

export const actions: Actions = {
	save: async (event) => {
		const values = formFields(await event.request.formData());
		const result = await saveAccount(getDb(), actorOf(event), values, Number(event.params.id));
		if (!result.ok) return refuse(400, result.errors, values);
		return { notice: '已保存' };
	},
	deactivate: (event) => {
		const result = setMemberActive(getDb(), actorOf(event), Number(event.params.id), false);
		if (!result.ok) return refuse(400, result.message);
		return { notice: '已停用，该账号的登录已全部退出' };
	},
	reactivate: (event) => {
		const result = setMemberActive(getDb(), actorOf(event), Number(event.params.id), true);
		if (!result.ok) return refuse(400, result.message);
		return { notice: '已恢复' };
	},
	reset: async (event) => {
		const result = await resetMemberPassword(getDb(), actorOf(event), Number(event.params.id));
		if (!result.ok) return refuse(400, result.message);
		return { reset: { name: result.name, username: result.username, password: result.temporaryPassword } };
	}
};
