import { sql } from 'drizzle-orm';
import { sqliteTable, integer, text, index, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';

/** A standing committee office (人大常委会机关). Offices form a tree; a parent sees its children. */
export const offices = sqliteTable(
	'offices',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		name: text('name').notNull().unique(),
		// Latin short code, used as the prefix of generated login names (e.g. lishi.017).
		code: text('code').notNull().unique(),
		parentId: integer('parent_id').references((): AnySQLiteColumn => offices.id, { onDelete: 'restrict' }),
		sortOrder: integer('sort_order').notNull().default(0),
		createdAt: integer('created_at', { mode: 'timestamp_ms' })
			.notNull()
			.default(sql`(unixepoch() * 1000)`)
	},
	(t) => [index('offices_parent_idx').on(t.parentId)]
);

/** A party school (党校): authors courses and assigns them to offices. */
export const schools = sqliteTable('schools', {
	id: integer('id').primaryKey({ autoIncrement: true }),
	name: text('name').notNull().unique(),
	createdAt: integer('created_at', { mode: 'timestamp_ms' })
		.notNull()
		.default(sql`(unixepoch() * 1000)`)
});
