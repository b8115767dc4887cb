import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { prepared } from '../db/statements';
import { pointsLedger } from '../db/schema';
import { shanghaiDay } from '../time';
import { POINT_RULES, type RuleKey } from './rules';
import { addToPeriods } from './periods';

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
	// Prepared statements: awards run inside every submission and lesson read (see db/statements.ts).
	if (prepared(tx, 'SELECT 1 FROM points_ledger WHERE idempotency_key = ?').get(input.key)) return { awarded: 0, duplicate: true, capped: false };
	let points = input.points ?? rule.points;
	if (rule.dailyCap !== null) {
		const used = sumPoints(tx, input.userId, day, input.rule);
		points = Math.min(points, rule.dailyCap - used);
	}
	if (points <= 0) return { awarded: 0, duplicate: false, capped: true };
	const inserted = prepared(
		tx,
		`INSERT INTO points_ledger (user_id, office_id, rule, points, reason, idempotency_key, created_at, day)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`
	).run(input.userId, input.officeId, input.rule, points, input.reason, input.key, input.at.getTime(), day);
	if (inserted.changes === 0) return { awarded: 0, duplicate: true, capped: false };
	addToPeriods(tx, input.userId, input.officeId, day, points);
	return { awarded: points, duplicate: false, capped: points < (input.points ?? rule.points) };
}

/** Points a user earned on one Shanghai day, optionally under one rule. */
export function sumPoints(db: Queryable, userId: number, day: string, rule?: RuleKey): number {
	const row = rule
		? prepared(db, 'SELECT coalesce(sum(points), 0) AS total FROM points_ledger WHERE user_id = ? AND rule = ? AND day = ?').get(userId, rule, day)
		: prepared(db, 'SELECT coalesce(sum(points), 0) AS total FROM points_ledger WHERE user_id = ? AND day = ?').get(userId, day);
	return (row as { total: number }).total;
}

export function totalPoints(db: Queryable, userId: number): number {
	const row = db
		.select({ total: sql<number>`coalesce(sum(${pointsLedger.points}), 0)` })
		.from(pointsLedger)
		.where(eq(pointsLedger.userId, userId))
		.get();
	return row?.total ?? 0;
}
