import { getDb } from '$lib/server/db';
import { pageParam } from '$lib/server/paging';
import { listTalks, myDrafts, recordableOfficeIds } from '$lib/server/outreach';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 20;

export const load: PageServerLoad = ({ locals, url }) => {
	const db = getDb();
	const user = locals.user!;
	// The viewer's own office ([]: a sysadmin, who belongs to none, sees every office's talks).
	const officeIds = user.officeId ? [user.officeId] : [];
	const page = pageParam(url.searchParams);
	const { rows, total } = listTalks(db, user, { officeIds, page, pageSize: PAGE_SIZE });
	return {
		talks: rows,
		total,
		page,
		pageSize: PAGE_SIZE,
		drafts: myDrafts(db, user.id),
		canRecord: recordableOfficeIds(db, user).length > 0,
		flash: url.searchParams.has('deleted') ? '草稿已删除。' : null
	};
};
