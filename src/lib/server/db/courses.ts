import { sqliteTable, integer, text, real, primaryKey, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './auth';
import { modules } from './content';
import { offices, schools } from './org';

/** A course (专题班) a party school builds from modules and assigns to offices. */
export const courses = sqliteTable('courses', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	schoolId: integer('school_id')
		.notNull()
		.references(() => schools.id),
	title: text('title').notNull(),
	description: text('description').notNull().default(''),
	hours: real('hours').notNull(), // 学时 credited on completion
	required: integer('required', { mode: 'boolean' }).notNull(), // 必修 / 选修
	opensOn: text('opens_on').notNull(), // YYYY-MM-DD, Asia/Shanghai
	dueOn: text('due_on').notNull(), // YYYY-MM-DD, Asia/Shanghai; due at the end of that day
	createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
	updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull()
});

export const courseModules = sqliteTable(
	'course_modules',
	{
		courseId: integer('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		moduleId: integer('module_id')
			.notNull()
			.references(() => modules.id),
		position: integer('position').notNull()
	},
	(t) => [primaryKey({ columns: [t.courseId, t.moduleId] })]
);

/** An assignment of a course to an office (optionally with all offices below it) or to one cadre. */
export const assignments = sqliteTable(
	'assignments',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		courseId: integer('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		officeId: integer('office_id').references(() => offices.id),
		includeDescendants: integer('include_descendants', { mode: 'boolean' }).notNull().default(false),
		userId: integer('user_id').references(() => users.id),
		assignedBy: integer('assigned_by').references(() => users.id),
		assignedAt: integer('assigned_at', { mode: 'timestamp_ms' }).notNull(),
		// Withdrawn: the obligation goes, progress stays.
		withdrawnAt: integer('withdrawn_at', { mode: 'timestamp_ms' })
	},
	(t) => [index('assignments_course_idx').on(t.courseId), index('assignments_office_idx').on(t.officeId)]
);

/**
 * A cadre's place in a course: created when an assignment first reaches them,
 * kept after withdrawal (obligation ends: `active` false) so nothing is lost.
 */
export const enrolments = sqliteTable(
	'enrolments',
	{
		courseId: integer('course_id')
			.notNull()
			.references(() => courses.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		enrolledAt: integer('enrolled_at', { mode: 'timestamp_ms' }).notNull(),
		active: integer('active', { mode: 'boolean' }).notNull().default(true),
		completedAt: integer('completed_at', { mode: 'timestamp_ms' }),
		// YYYY-MM-DD (Shanghai): the own due day of someone who joined after the course opened,
		// when later than the course's; null means the course's due day (see courses/due.ts).
		dueOn: text('due_on')
	},
	(t) => [primaryKey({ columns: [t.courseId, t.userId] }), index('enrolments_user_idx').on(t.userId)]
);

/** Every credited 学时: one row per source (a course, later a study session), in a Shanghai year. */
export const creditHours = sqliteTable(
	'credit_hours',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		source: text('source', { enum: ['course', 'session', 'module', 'exam'] }).notNull(),
		sourceId: integer('source_id').notNull(),
		title: text('title').notNull(),
		hours: real('hours').notNull(),
		year: integer('year').notNull(),
		creditedAt: integer('credited_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [
		uniqueIndex('credit_hours_once').on(t.userId, t.source, t.sourceId),
		index('credit_hours_year_idx').on(t.userId, t.year)
	]
);

/** 结业证书: issued once per completed course, with what it showed at the time. */
export const certificates = sqliteTable(
	'certificates',
	{
		serial: text('serial').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		courseId: integer('course_id')
			.notNull()
			.references(() => courses.id),
		name: text('name').notNull(),
		officeName: text('office_name').notNull(),
		courseTitle: text('course_title').notNull(),
		hours: real('hours').notNull(),
		schoolName: text('school_name').notNull(),
		completedOn: text('completed_on').notNull(),
		issuedAt: integer('issued_at', { mode: 'timestamp_ms' }).notNull()
	},
	(t) => [uniqueIndex('certificates_once').on(t.userId, t.courseId)]
);

/** In-app notifications; `dedupe_key` keeps a reminder from repeating (e.g. once a day per course). */
export const notifications = sqliteTable(
	'notifications',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull(),
		title: text('title').notNull(),
		body: text('body').notNull().default(''),
		href: text('href'),
		dedupeKey: text('dedupe_key').notNull().unique(),
		createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
		readAt: integer('read_at', { mode: 'timestamp_ms' })
	},
	(t) => [index('notifications_user_idx').on(t.userId, t.readAt)]
);

/** Settings the sysadmin can change (e.g. the yearly 学时 requirement). */
export const appSettings = sqliteTable('app_settings', {
	key: text('key').primaryKey(),
	value: text('value').notNull()
});
