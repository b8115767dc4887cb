import { sqliteTable, integer, text, real, primaryKey, index } from 'drizzle-orm/sqlite-core';
import { users } from './auth';
import { modules } from './content';
import { offices } from './org';

/** A collective study session (集中学习 / 党组理论学习中心组学习) held by an office. */
export const studySessions = sqliteTable(
	'study_sessions',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		officeId: integer('office_id')
			.notNull()
			.references(() => offices.id),
		title: text('title').notNull(),
		startsAt: integer('starts_at', { mode: 'timestamp_ms' }).notNull(),
		endsAt: integer('ends_at', { mode: 'timestamp_ms' }).notNull(),
		place: text('place').notNull(),
		leader: text('leader').notNull(),
		hours: real('hours').notNull(),
		// Minutes (纪要), recorded after the meeting.
		minutes: text('minutes').notNull().default(''),
		// Per-session secret behind the rotating check-in code; never sent to members.
		checkinSecret: text('checkin_secret').notNull(),
		createdBy: integer('created_by').references(() => users.id),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [index('study_sessions_office_idx').on(t.officeId, t.startsAt)]
);

export const studySessionModules = sqliteTable(
	'study_session_modules',
	{
		sessionId: integer('session_id')
			.notNull()
			.references(() => studySessions.id, { onDelete: 'cascade' }),
		moduleId: integer('module_id')
			.notNull()
			.references(() => modules.id)
	},
	(t) => [primaryKey({ columns: [t.sessionId, t.moduleId] })]
);

/** Offices invited besides the host office: their members may check in too. */
export const studySessionOffices = sqliteTable(
	'study_session_offices',
	{
		sessionId: integer('session_id')
			.notNull()
			.references(() => studySessions.id, { onDelete: 'cascade' }),
		officeId: integer('office_id')
			.notNull()
			.references(() => offices.id)
	},
	(t) => [primaryKey({ columns: [t.sessionId, t.officeId] })]
);

export const attendance = sqliteTable(
	'attendance',
	{
		sessionId: integer('session_id')
			.notNull()
			.references(() => studySessions.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		checkedInAt: integer('checked_in_at', { mode: 'timestamp_ms' }).notNull(),
		method: text('method', { enum: ['code', 'manual'] }).notNull()
	},
	(t) => [primaryKey({ columns: [t.sessionId, t.userId] }), index('attendance_user_idx').on(t.userId)]
);
