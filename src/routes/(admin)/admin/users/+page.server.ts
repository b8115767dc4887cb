import { getDb } from '$lib/server/db';
import { listAccounts } from '$lib/server/users/accounts';
import { PAGE_SIZE } from '$lib/server/users/members';
import { ROLE_LABELS, ROLES } from '$lib/server/access';
import type { PageServerLoad } from './$types';
import { pageParam } from '$lib/server/paging';

export const load: PageServerLoad = ({ url }) => {
	const q = url.searchParams.get('q')?.trim() ?? '';
	const roleParam = url.searchParams.get('role');
	const role = ROLES.find((known) => known === roleParam);
	const page = pageParam(url.searchParams);
	const { rows, total } = listAccounts(getDb(), { q, role, status: 'all', page });
	return {
		accounts: rows,
		total,
		page,
		pageSize: PAGE_SIZE,
		filters: { q, role: role ?? '' },
		roleLabels: ROLE_LABELS
	};
};
