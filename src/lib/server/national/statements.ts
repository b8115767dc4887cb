// National figures' statements, prepared once per connection (see db/statements.ts): the token
// check runs on every call of GET /api/figures, the figures read every office in one pass.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { apiTokens, MEMBER_ROLE_LIST } from '../db/schema';
import { query, statements } from '../db/statements';
import { DUE_ON_SQL } from '../courses/due';

const placeholder = sql.placeholder;

/** One office's counts as SQLite returns them (the figures of an office's own members, not those below it). */
export interface OfficeCountsRow {
	id: number;
	parentId: number | null;
	code: string;
	name: string;
	parentCode: string | null;
	members: number;
	participants: number;
	points: number;
	coursesDue: number;
	coursesOnTime: number;
}

// An office's enrolments that count towards 按期完成率 in a period: active enrolments of its active
// members whose due day (their own, for late joiners: courses/due.ts) falls in the period and has
// passed, or that are already done (an early finish counts at once), as 单位排行 counts them.
const DUE_IN_PERIOD = `FROM enrolments e JOIN users u ON u.id = e.user_id JOIN courses c ON c.id = e.course_id
	WHERE u.office_id = o.id AND u.active = 1 AND e.active = 1
	AND ${DUE_ON_SQL} BETWEEN @from AND @to AND (${DUE_ON_SQL} < @today OR e.completed_at IS NOT NULL)`;

export const nationalStatements = statements((q) => ({
	/** { hash }: the token with this SHA-256, unless it was revoked. */
	liveToken: q
		.select({ id: apiTokens.id, name: apiTokens.name })
		.from(apiTokens)
		.where(and(eq(apiTokens.tokenHash, placeholder('hash')), isNull(apiTokens.revokedAt)))
		.prepare(),
	/** (lastUsedAt, id) */
	touchToken: q.$client.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?'),
	/**
	 * { period, from, to, today }: every office with its active members, those of them with points
	 * in the period and their points (the rows that count on its board, as the dashboard and
	 * 单位排行 read them), and its enrolments due in the period (from–to, Shanghai days) and those
	 * completed by their due day. Counts, so that offices and provinces can be summed.
	 */
	officeCounts: query(
		q,
		`SELECT o.id, o.parent_id, o.code, o.name, p.code AS parent_code,
			(SELECT count(*) FROM users u WHERE u.office_id = o.id AND u.active = 1 AND u.role IN (${MEMBER_ROLE_LIST})) AS members,
			(SELECT count(*) FROM points_period pp WHERE pp.member = 1 AND pp.office_id = o.id AND pp.period = @period AND pp.points > 0) AS participants,
			(SELECT coalesce(sum(pp.points), 0) FROM points_period pp WHERE pp.member = 1 AND pp.office_id = o.id AND pp.period = @period) AS points,
			(SELECT count(*) ${DUE_IN_PERIOD}) AS courses_due,
			(SELECT count(*) ${DUE_IN_PERIOD} AND e.completed_at IS NOT NULL
				AND strftime('%Y-%m-%d', e.completed_at / 1000, 'unixepoch', '+8 hours') <= ${DUE_ON_SQL}) AS courses_on_time
		FROM offices o LEFT JOIN offices p ON p.id = o.parent_id
		ORDER BY o.sort_order, o.id`,
		(r: {
			id: number;
			parent_id: number | null;
			code: string;
			name: string;
			parent_code: string | null;
			members: number;
			participants: number;
			points: number;
			courses_due: number;
			courses_on_time: number;
		}): OfficeCountsRow => ({
			id: r.id,
			parentId: r.parent_id,
			code: r.code,
			name: r.name,
			parentCode: r.parent_code,
			members: r.members,
			participants: r.participants,
			points: r.points,
			coursesDue: r.courses_due,
			coursesOnTime: r.courses_on_time
		})
	)
}));
