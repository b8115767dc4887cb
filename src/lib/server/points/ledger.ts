import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { pointsLedger } from '../db/schema';
import { shanghaiDay } from '../time';
import { POINT_RULES, type RuleKey } from './rules';
import { addToPeriods } from './periods';
import { pointsStatements } from './statements';

export interface AwardInput {
	userId: number;
	officeId: number | null;
	rule: RuleKey;
	/** Unique per thing rewarded (e.g. `lesson:<user>:<lesson>`): the same key never pays twice. */
	key: string;
	reason: string;
	at: Date;
	/** Defaults to the rule's points. */
	points?: number;
}

export type AwardResult = { awarded: number; duplicate: boolean; capped: boolean };

/**
 * Writes one ledger row for an award, trimmed to what the rule's daily cap
 * still allows. Call it inside the transaction that records the thing being
 * rewarded, so the cap check and the insert see the same state.
 */
export function award(tx: Queryable, input: AwardInput): AwardResult {
	const rule = POINT_RULES[input.rule];
	const day = shanghaiDay(input.at);
	// Prepared statements: awards run inside every submission and lesson read (points/statements.ts).
	if (pointsStatements(tx).ledgerKey.get({ key: input.key }))
		return { awarded: 0, duplicate: true, capped: false };
	let points = input.points ?? rule.points;
	if (rule.dailyCap !== null) {
		const used = sumPoints(tx, input.userId, day, input.rule);
		points = Math.min(points, rule.dailyCap - used);
	}
	if (points <= 0) return { awarded: 0, duplicate: false, capped: true };
	const inserted = pointsStatements(tx).insertLedger.run(
		input.userId,
		input.officeId,
		input.rule,
		points,
		input.reason,
		input.key,
		input.at.getTime(),
		day
	);
	if (inserted.changes === 0) return { awarded: 0, duplicate: true, capped: false };
	addToPeriods(tx, input.userId, input.officeId, day, points);
	return { awarded: points, duplicate: false, capped: points < (input.points ?? rule.points) };
}

/** Points a user earned on one Shanghai day, optionally under one rule. */
export function sumPoints(db: Queryable, userId: number, day: string, rule?: RuleKey): number {
	const statements = pointsStatements(db);
	const row = rule
		? statements.dayRuleTotal.get({ userId, rule, day })
		: statements.dayTotal.get({ userId, day });
	return row?.total ?? 0;
}

export function totalPoints(db: Queryable, userId: number): number {
	const row = db
		.select({ total: sql<number>`coalesce(sum(${pointsLedger.points}), 0)` })
		.from(pointsLedger)
		.where(eq(pointsLedger.userId, userId))
		.get();
	return row?.total ?? 0;
}
