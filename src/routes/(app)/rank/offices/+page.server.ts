import { getDb } from '$lib/server/db';
import { comparisonGroup } from '$lib/server/points/compare';
import { COMPARE_METRIC_LABELS, compareWithTalks, type CompareMetric } from '$lib/server/outreach';
import { PERIOD_LABELS, type PeriodKind } from '$lib/server/points/periods';
import type { PageServerLoad } from './$types';

const METRICS = Object.keys(COMPARE_METRIC_LABELS) as CompareMetric[];
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
		metrics: METRICS.map((m) => ({ key: m, label: COMPARE_METRIC_LABELS[m] })),
		periods: KINDS.map((k) => ({ key: k, label: PERIOD_LABELS[k] })),
		parentName: group.parentName,
		ownOfficeId: user.officeId,
		figures: compareWithTalks(db, group.officeIds, kind, metric)
	};
};
