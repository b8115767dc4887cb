import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { listMembers, PAGE_SIZE, resetMemberPassword, setMemberActive } from '$lib/server/users/members';
import { managedOfficeOptions } from '$lib/server/org/scope';
import type { Actions, PageServerLoad } from './$types';
import { pageParam } from '$lib/server/paging';

const STATUSES = ['active', 'inactive', 'all'] as const;

export const load: PageServerLoad = ({ locals, url }) => {
	const db = getDb();
	const actor = locals.user!;
	const q = url.searchParams.get('q')?.trim() ?? '';
	const officeId = Number(url.searchParams.get('office')) || undefined;
	const statusParam = url.searchParams.get('status');
	const status = STATUSES.find((s) => s === statusParam) ?? 'active';
	const page = pageParam(url.searchParams);
	const { rows, total } = listMembers(db, actor, { q, officeId, status, page });
	return {
		members: rows,
		total,
		page,
		pageSize: PAGE_SIZE,
		filters: { q, officeId: officeId ?? null, status },
		offices: managedOfficeOptions(db, actor)
	};
};

function userIdFrom(form: FormData): number {
	return Number(form.get('userId')) || 0;
}

export const actions: Actions = {
	deactivate: async (event) => {
		const result = setMemberActive(
			getDb(),
			actorOf(event),
			userIdFrom(await event.request.formData()),
			false
		);
		if (!result.ok) return refuse(400, result.message);
		return { notice: '已停用该成员，其登录已全部退出' };
	},
	reactivate: async (event) => {
		const result = setMemberActive(getDb(), actorOf(event), userIdFrom(await event.request.formData()), true);
		if (!result.ok) return refuse(400, result.message);
		return { notice: '已恢复该成员' };
	},
	reset: async (event) => {
		const result = await resetMemberPassword(
			getDb(),
			actorOf(event),
			userIdFrom(await event.request.formData())
		);
		if (!result.ok) return refuse(400, result.message);
		return { reset: { name: result.name, username: result.username, password: result.temporaryPassword } };
	}
};
