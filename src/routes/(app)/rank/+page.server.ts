import { getDb } from '$lib/server/db';
import { getOffice } from '$lib/server/org/offices';
import { boardWithStanding } from '$lib/server/points/board';
import { PERIOD_LABELS, type PeriodKind } from '$lib/server/points/periods';
import { Rows } from '$lib/rows';
import type { PageServerLoad } from './$types';
import { pageParam } from '$lib/server/paging';

const KINDS = Object.keys(PERIOD_LABELS) as PeriodKind[];
const TOP = 50;

export const load: PageServerLoad = ({ locals, url }) => {
	const user = locals.user!;
	const kind = KINDS.find((k) => k === url.searchParams.get('period')) ?? 'week';
	const periods = KINDS.map((k) => ({ kind: k, label: PERIOD_LABELS[k] }));
	if (!user.officeId)
		return { kind, periods, office: null, board: null, me: null, page: 1, pageSize: TOP, admin: false };
	const db = getDb();
	// Office admins page through the whole board; cadres see the top 50 and their own row.
	const admin = user.role === 'office_admin' || user.role === 'sysadmin';
	const page = admin ? pageParam(url.searchParams) : 1;
	const { board, me } = boardWithStanding(db, user.officeId, user.id, kind, page, TOP);
	return {
		kind,
		periods,
		office: getOffice(db, user.officeId)?.name ?? '',
		board: { rows: new Rows(board.rows), total: board.total },
		me: { ...me, onPage: board.rows.some((row) => row.userId === user.id) },
		page,
		pageSize: TOP,
		admin
	};
};
