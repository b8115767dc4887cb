import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, blob, index } from 'drizzle-orm/sqlite-core';
import { MEMBER_ROLES, ROLES } from '../access';
import { TEXT_SIZES } from '../../text-size';
import { offices, schools } from './org';

// The roles (ROLES, MEMBER_ROLES, their labels) are defined with the access rules in access.ts.
/** MEMBER_ROLES as an SQL list, for `role IN (…)` in prepared statements (the same list as migration 0012's trigger). */
export const MEMBER_ROLE_LIST = MEMBER_ROLES.map((role) => `'${role}'`).join(', ');

export const users = sqliteTable(
	'users',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		username: text('username').notNull().unique(),
		name: text('name').notNull(),
		// The name's pinyin, for sorting (users/name-key.ts); filled at start-up where missing.
		nameKey: text('name_key'),
		role: text('role', { enum: ROLES }).notNull().default('cadre'),
		officeId: integer('office_id').references(() => offices.id, { onDelete: 'restrict' }),
		schoolId: integer('school_id').references(() => schools.id, { onDelete: 'restrict' }),
		title: text('title').notNull().default(''),
		phone: text('phone').notNull().default(''),
		passwordHash: text('password_hash').notNull(),
		// Set when an admin issues a temporary password: the user must choose a new one at next login.
		mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
		active: integer('active', { mode: 'boolean' }).notNull().default(true),
		// 大字模式: the reading size the user chose (TEXT_SIZES in lib/text-size.ts), applied on every page.
		textSize: text('text_size', { enum: TEXT_SIZES }).notNull().default('normal'),
		createdAt: integer('created_at', { mode: 'timestamp_ms' })
			.notNull()
			.default(sql`(unixepoch() * 1000)`),
		updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
			.notNull()
			.default(sql`(unixepoch() * 1000)`)
	},
	// role too: the dashboard counts an office's active cadres and admins from the index alone.
	(t) => [
		index('users_office_idx').on(t.officeId, t.active, t.role),
		index('users_school_idx').on(t.schoolId),
		index('users_name_key_idx').on(t.nameKey, t.name)
	]
);

/** Lucia-guide sessions: the token is `<id>.<secret>`; only SHA-256(secret) is stored. */
export const sessions = sqliteTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		secretHash: blob('secret_hash', { mode: 'buffer' }).notNull(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

/**
 * Attempts at guessing a secret (password, check-in code, live PIN), one row per attempt,
 * under a key such as `login:user:<name>`; see rate-limit.ts. A row is written before the
 * secret is checked and removed again when the guess was right.
 */
export const rateLimits = sqliteTable(
	'rate_limits',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		key: text('key').notNull(),
		at: integer('at', { mode: 'timestamp_ms' }).notNull()
	},
	// `at` alone: old rows of every key are pruned in one range delete.
	(t) => [index('rate_limits_key_idx').on(t.key, t.at), index('rate_limits_at_idx').on(t.at)]
);
