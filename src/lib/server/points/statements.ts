// Points' statements on hot paths, prepared once per connection (see db/statements.ts): awards run
// inside every submission and lesson read, boards are the most viewed pages.
import { and, count, eq, sql } from 'drizzle-orm';
import { MEMBER_ROLE_LIST, pointsLedger, pointsPeriod, users } from '../db/schema';
import { pluck, query, statements } from '../db/statements';
import { DUE_ON_SQL } from '../courses/due';

const placeholder = sql.placeholder;

// An office's members with points in a period: the rows that count (member = 1, a literal, so
// that SQLite uses the covering partial index points_period_board_idx), read in board order
// without touching users.
const MEMBERS_IN_PERIOD = `FROM points_period pp WHERE pp.member = 1 AND pp.office_id = @officeId AND pp.period = @period`;

/** One row of an office's board, before ranking. */
export type BoardEntry = [userId: number, name: string, points: number];

export const pointsStatements = statements((q) => ({
	/** { key }: a ledger row with this idempotency key, if any. */
	ledgerKey: q
		.select({ id: pointsLedger.id })
		.from(pointsLedger)
		.where(eq(pointsLedger.idempotencyKey, placeholder('key')))
		.prepare(),
	/** (userId, officeId, rule, points, reason, key, createdAt, day): nothing when the key is taken. */
	insertLedger: q.$client.prepare(
		`INSERT INTO points_ledger (user_id, office_id, rule, points, reason, idempotency_key, created_at, day)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`
	),
	/** { userId, day }: points earned that Shanghai day. */
	dayTotal: q
		.select({ total: sql<number>`coalesce(sum(${pointsLedger.points}), 0)` })
		.from(pointsLedger)
		.where(and(eq(pointsLedger.userId, placeholder('userId')), eq(pointsLedger.day, placeholder('day'))))
		.prepare(),
	/** { userId, rule, day }: points earned that Shanghai day under one rule. */
	dayRuleTotal: q
		.select({ total: sql<number>`coalesce(sum(${pointsLedger.points}), 0)` })
		.from(pointsLedger)
		.where(
			and(
				eq(pointsLedger.userId, placeholder('userId')),
				eq(pointsLedger.rule, placeholder('rule')),
				eq(pointsLedger.day, placeholder('day'))
			)
		)
		.prepare(),
	/** { userId, officeId, period }: a member's points in one office and period. */
	periodPoints: q
		.select({ points: pointsPeriod.points })
		.from(pointsPeriod)
		.where(
			and(
				eq(pointsPeriod.userId, placeholder('userId')),
				eq(pointsPeriod.officeId, placeholder('officeId')),
				eq(pointsPeriod.period, placeholder('period'))
			)
		)
		.prepare(),
	/** { userId, officeId }: 1 when the user is an active member (cadre or admin) of the office, else 0. */
	isMember: q
		.select({ n: count() })
		.from(users)
		.where(
			and(
				eq(users.id, placeholder('userId')),
				eq(users.officeId, placeholder('officeId')),
				sql`${users.active} = 1 AND ${users.role} IN (${sql.raw(MEMBER_ROLE_LIST)})`
			)
		)
		.prepare(),
	/** { userId, officeId, points, member, d, w, m, y, all }: adds points to the five periods of a day. */
	addToPeriods: q.$client.prepare(
		`INSERT INTO points_period (user_id, office_id, period, points, member)
		VALUES (@userId, @officeId, @d, @points, @member), (@userId, @officeId, @w, @points, @member), (@userId, @officeId, @m, @points, @member),
			(@userId, @officeId, @y, @points, @member), (@userId, @officeId, @all, @points, @member)
		ON CONFLICT (user_id, office_id, period) DO UPDATE SET points = points + excluded.points, member = excluded.member`
	),
	/** (officeId, day): one more learner in the office that day. */
	countLearner: q.$client.prepare(
		'INSERT INTO office_daily (office_id, day, learners) VALUES (?, ?, 1) ON CONFLICT (office_id, day) DO UPDATE SET learners = learners + 1'
	),
	/** { officeId, period, points }: how many members scored more. */
	countAbove: pluck<number>(q, `SELECT count(*) ${MEMBERS_IN_PERIOD} AND pp.points > @points`),
	/**
	 * { officeId, period, points }: in one pass over the members with points, how many there are,
	 * how many scored more than `points`, and the lowest score above it (the next rank up).
	 */
	tally: query(
		q,
		`SELECT count(*) AS total, count(*) FILTER (WHERE pp.points > @points) AS above, min(pp.points) FILTER (WHERE pp.points > @points) AS next
		${MEMBERS_IN_PERIOD} AND pp.points > 0`,
		(r: { total: number; above: number; next: number | null }) => r
	),
	/**
	 * { officeId, period, limit, offset }: one page of the board, best first. The page comes as
	 * one JSON array of [user_id, name, points] (SQLite builds it faster than the driver returns
	 * fifty rows); names are looked up for the page's rows only.
	 */
	boardPage: pluck(
		q,
		`SELECT json_group_array(json_array(pp.user_id, u.name, pp.points) ORDER BY pp.points DESC, pp.user_id)
		FROM (SELECT pp.user_id, pp.points ${MEMBERS_IN_PERIOD} AND pp.points > 0 ORDER BY pp.points DESC, pp.user_id LIMIT @limit OFFSET @offset) pp
		JOIN users u ON u.id = pp.user_id`,
		(json: string) => JSON.parse(json) as BoardEntry[]
	),
	/**
	 * { ids (JSON array), period, today }: for each office, its active members, those of them with
	 * points in the period and their points, and their enrolments due by today (or done) and done
	 * by their due day (each by its own due day: a late joiner counts once theirs has passed).
	 */
	officeFigures: query(
		q,
		`SELECT o.id, o.name,
			(SELECT count(*) FROM users u WHERE u.office_id = o.id AND u.active = 1 AND u.role IN (${MEMBER_ROLE_LIST})) AS members,
			(SELECT count(*) FROM points_period pp WHERE pp.member = 1 AND pp.office_id = o.id AND pp.period = @period AND pp.points > 0) AS learners,
			(SELECT coalesce(sum(pp.points), 0) FROM points_period pp WHERE pp.member = 1 AND pp.office_id = o.id AND pp.period = @period) AS points,
			(SELECT count(*) FROM enrolments e JOIN users u ON u.id = e.user_id JOIN courses c ON c.id = e.course_id
				WHERE u.office_id = o.id AND u.active = 1 AND e.active = 1 AND (${DUE_ON_SQL} < @today OR e.completed_at IS NOT NULL)) AS due,
			(SELECT count(*) FROM enrolments e JOIN users u ON u.id = e.user_id JOIN courses c ON c.id = e.course_id
				WHERE u.office_id = o.id AND u.active = 1 AND e.active = 1 AND e.completed_at IS NOT NULL
				AND strftime('%Y-%m-%d', e.completed_at / 1000, 'unixepoch', '+8 hours') <= ${DUE_ON_SQL}) AS on_time
		FROM offices o WHERE o.id IN (SELECT value FROM json_each(@ids))`,
		(r: {
			id: number;
			name: string;
			members: number;
			learners: number;
			points: number;
			due: number;
			on_time: number;
		}) => ({
			officeId: r.id,
			name: r.name,
			members: r.members,
			learners: r.learners,
			points: r.points,
			due: r.due,
			onTime: r.on_time
		})
	)
}));
