// The bare SQL behind each benchmarked page: the same domain functions the request runs
// (session check, root layout, the page's load), called in-process on a createDb()
// connection of the benchmark's database, so page time / SQL time shows what the app
// adds on top of its queries.
import { validateSessionToken } from '../../src/lib/server/auth/session';
import { unreadCount } from '../../src/lib/server/notifications';
import type { Db } from '../../src/lib/server/db';
import { canManageOffice, childOffices, getOffice, type Actor } from '../../src/lib/server/org/offices';
import { dailyActive, headline, memberTable } from '../../src/lib/server/participation/dashboard';
import { dashboardScope } from '../../src/lib/server/participation/scope';
import { boardWithStanding } from '../../src/lib/server/points/board';
import type { PeriodKind } from '../../src/lib/server/points/periods';
import { hardPoints } from '../../src/lib/server/quiz/overview';
import { outreachHeadline, periodRange, recentTalks } from '../../src/lib/server/outreach';
import { dueCount } from '../../src/lib/server/quiz/wrongbook';
import { percentile } from './load';

export interface BenchViewer extends Actor {
	/** The session token (the cookie's value), to run the same session check as each request. */
	token: string;
}

/** A page's database work as named steps, in the order the request runs them. */
type Steps = [name: string, run: () => unknown][];

/** hooks.server.ts and the root +layout.server.ts: the session check, then the two badge counts. */
function shell(db: Db, viewer: BenchViewer): Steps {
	return [
		['validateSessionToken', () => validateSessionToken(db, viewer.token)],
		['dueCount', () => dueCount(db, viewer.id)],
		['unreadCount', () => unreadCount(db, viewer.id)]
	];
}

/** src/routes/(app)/rank/+page.server.ts for page 1 of a period. */
export function rankSteps(db: Db, viewer: BenchViewer, kind: PeriodKind): Steps {
	const officeId = viewer.officeId!;
	return [
		...shell(db, viewer),
		['boardWithStanding', () => boardWithStanding(db, officeId, viewer.id, kind, 1, 50)],
		['getOffice', () => getOffice(db, officeId)]
	];
}

/** src/routes/(admin)/office/dashboard/+page.server.ts for `?period=<kind>`, page 1. */
export function dashboardSteps(db: Db, viewer: BenchViewer, kind: PeriodKind): Steps {
	const params = new URLSearchParams({ period: kind });
	// The scope is computed once up front (it is the first step of every request too).
	const scope = dashboardScope(db, viewer, params)!;
	// The member table takes its unfiltered total from the headline's member count, as the page does.
	let figures = headline(db, scope.officeIds, scope.kind);
	return [
		...shell(db, viewer),
		['dashboardScope', () => dashboardScope(db, viewer, params)],
		['headline', () => (figures = headline(db, scope.officeIds, scope.kind))],
		[
			'memberTable',
			() => memberTable(db, scope.officeIds, { ...scope, pageSize: 20, members: figures.members })
		],
		['children', () => childOffices(db, scope.office.id)],
		['canManageOffice', () => scope.office.parentId && canManageOffice(db, viewer, scope.office.parentId)],
		['dailyActive', () => dailyActive(db, scope.officeIds, 90)],
		['hardPoints', () => hardPoints(db, scope.officeIds).slice(0, 10)],
		[
			'outreachHeadline',
			() => {
				const range = periodRange(scope.kind);
				return outreachHeadline(db, scope.officeIds, range.from, range.to);
			}
		],
		['recentTalks', () => recentTalks(db, scope.officeIds, 5)]
	];
}

export interface SqlTiming {
	iterations: number;
	/** Median of the whole request's database work. */
	p50_ms: number;
	/** Median of each step on its own. */
	steps: Record<string, number>;
}

/** Runs the steps over and over (a few warm-up rounds first) for at least `seconds` and `minIterations`. */
export function timeSteps(
	steps: Steps,
	o: { seconds: number; minIterations: number; maxIterations: number }
): SqlTiming {
	for (let i = 0; i < 3; i++) for (const [, run] of steps) run();
	const totals: number[] = [];
	const perStep = steps.map(() => [] as number[]);
	const until = performance.now() + o.seconds * 1000;
	while (totals.length < o.maxIterations && (totals.length < o.minIterations || performance.now() < until)) {
		let total = 0;
		steps.forEach(([, run], i) => {
			const t0 = performance.now();
			run();
			const ms = performance.now() - t0;
			perStep[i]!.push(ms);
			total += ms;
		});
		totals.push(total);
	}
	const median = (xs: number[]) => percentile(Float64Array.from(xs).sort(), 50);
	return {
		iterations: totals.length,
		p50_ms: median(totals),
		steps: Object.fromEntries(steps.map(([name], i) => [name, Number(median(perStep[i]!).toFixed(3))]))
	};
}
