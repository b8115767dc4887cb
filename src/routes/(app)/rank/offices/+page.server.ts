import { asc, eq, isNull } from 'drizzle-orm';
import { getDb } from '$lib/server/db';
import { offices } from '$lib/server/db/schema';
import { getOffice } from '$lib/server/org/offices';
import { compareOffices, METRIC_LABELS, type Metric } from '$lib/server/points/compare';
import { PERIOD_LABELS, type PeriodKind } from '$lib/server/points/periods';
import type { PageServerLoad } from './$types';

const METRICS = Object.keys(METRIC_LABELS) as Metric[];
const KINDS = Object.keys(PERIOD_LABELS) as PeriodKind[];

export const load: PageServerLoad = ({ locals, url }) => {
	const db = getDb();
	const user = locals.user!;
	const metric = METRICS.find((m) => m === url.searchParams.get('metric')) ?? 'participation';
	const kind = KINDS.find((k) => k === url.searchParams.get('period')) ?? 'month';
	// The offices compared: the children of the viewer's parent office (their siblings and
	// themselves); at the top of the tree, the offices directly below it.
	const own = user.officeId ? getOffice(db, user.officeId) : undefined;
	const root = db.select().from(offices).where(isNull(offices.parentId)).orderBy(asc(offices.id)).get();
	const parentId = own?.parentId ?? own?.id ?? root?.id ?? null;
	const group = parentId ? db.select({ id: offices.id }).from(offices).where(eq(offices.parentId, parentId)).all().map((o) => o.id) : [];
	const parentName = parentId ? (getOffice(db, parentId)?.name ?? '') : '';
	return {
		metric,
		kind,
		metrics: METRICS.map((m) => ({ key: m, label: METRIC_LABELS[m] })),
		periods: KINDS.map((k) => ({ key: k, label: PERIOD_LABELS[k] })),
		parentName,
		ownOfficeId: own?.id ?? null,
		figures: compareOffices(db, group, kind, metric)
	};
};
