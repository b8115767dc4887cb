import { getDb } from '$lib/server/db';
import { compareOffices, comparisonGroup, METRIC_LABELS, type Metric } from '$lib/server/points/compare';
import { PERIOD_LABELS, type PeriodKind } from '$lib/server/points/periods';
import type { PageServerLoad } from './$types';

const METRICS = Object.keys(METRIC_LABELS) as Metric[];
const KINDS = Object.keys(PERIOD_LABELS) as PeriodKind[];

export const load: PageServerLoad = ({ locals, url }) => {
	const db = getDb();
	const user = locals.user!;
	const metric = METRICS.find((m) => m === url.searchParams.get('metric')) ?? 'participation';
	const kind = KINDS.find((k) => k === url.searchParams.get('period')) ?? 'month';
	const group = comparisonGroup(db, user.officeId);
	return {
		metric,
		kind,
		metrics: METRICS.map((m) => ({ key: m, label: METRIC_LABELS[m] })),
		periods: KINDS.map((k) => ({ key: k, label: PERIOD_LABELS[k] })),
		parentName: group.parentName,
		ownOfficeId: user.officeId,
		figures: compareOffices(db, group.officeIds, kind, metric)
	};
};
