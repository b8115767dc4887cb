import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, primaryKey } from 'drizzle-orm/sqlite-core';
import { users } from './auth';
import { offices } from './org';

/**
 * The points ledger: every point ever awarded is one row with its rule, reason and
 * a unique idempotency key. Totals and leaderboards derive from it.
 */
export const pointsLedger = sqliteTable(
	'points_ledger',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		// The user's office when the points were earned: a later transfer does not move them.
		officeId: integer('office_id').references(() => offices.id),
		rule: text('rule').notNull(),
		points: integer('points').notNull(),
		reason: text('reason').notNull(),
		idempotencyKey: text('idempotency_key').notNull().unique(),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		// Asia/Shanghai calendar day (YYYY-MM-DD): daily caps and "today" use it.
		day: text('day').notNull()
	},
	(t) => [
		index('points_user_rule_day_idx').on(t.userId, t.rule, t.day),
		index('points_office_day_idx').on(t.officeId, t.day)
	]
);

/**
 * Points per user per period, maintained in the same transaction as each ledger
 * row, so boards never sum the ledger. Periods: `d:2026-11-24`, `w:2026-11-23`
 * (the Monday), `m:2026-11`, `y:2026`, `all` — all in Asia/Shanghai. The office
 * is the one the points were earned in. `npm run points:rebuild` recomputes it.
 */
export const pointsPeriod = sqliteTable(
	'points_period',
	{
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		officeId: integer('office_id')
			.notNull()
			.references(() => offices.id),
		period: text('period').notNull(),
		points: integer('points').notNull(),
		// Whether the row counts on its office's board: its user is still an active member
		// (cadre or office admin) of that office. Set when the row is written and kept by a
		// trigger on users (migration 0012), so boards and the dashboard count rows without
		// joining users.
		member: integer('member', { mode: 'boolean' }).notNull().default(false)
	},
	(t) => [
		primaryKey({ columns: [t.userId, t.officeId, t.period] }),
		// Board order over the rows that count: covering, so a page and a rank count read only
		// this index.
		index('points_period_board_idx')
			.on(t.officeId, t.period, sql`${t.points} DESC`, t.userId)
			.where(sql`member = 1`),
		// One member's periods whatever the office (the dashboard's member table): the primary
		// key puts office_id before period, so without this a lookup scans all of a member's rows.
		index('points_period_user_period_idx').on(t.userId, t.period)
	]
);

/**
 * Learners per office per Shanghai day: how many members earned points there that day.
 * Maintained with points_period (a member's first points of the day add one), so the
 * dashboard's activity chart reads 90 rows instead of counting every member-day.
 */
export const officeDaily = sqliteTable(
	'office_daily',
	{
		officeId: integer('office_id')
			.notNull()
			.references(() => offices.id),
		day: text('day').notNull(),
		learners: integer('learners').notNull()
	},
	(t) => [primaryKey({ columns: [t.officeId, t.day] })]
);
