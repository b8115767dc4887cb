// The office tree's statements on hot paths, prepared once per connection (see db/statements.ts):
// the board, the dashboard, the access checks and every quiz submission ask.
import { eq, sql } from 'drizzle-orm';
import { offices, users } from '../db/schema';
import { pluck, statements } from '../db/statements';

const placeholder = sql.placeholder;

export const orgStatements = statements((q) => ({
	/** { id } */
	office: q
		.select()
		.from(offices)
		.where(eq(offices.id, placeholder('id')))
		.prepare(),
	/** (officeId): the office and every office below it. */
	descendantIds: pluck<number>(
		q,
		`WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL SELECT o.id FROM offices o JOIN sub ON o.parent_id = sub.id)
		SELECT id FROM sub`
	),
	/** (officeId): the office, then upwards to the root. */
	ancestorIds: pluck<number>(
		q,
		`WITH RECURSIVE up(id, parent) AS (
			SELECT id, parent_id FROM offices WHERE id = ?
			UNION ALL SELECT o.id, o.parent_id FROM offices o JOIN up ON o.id = up.parent
		) SELECT id FROM up`
	),
	/** { parentId }: the offices directly under one, in display order. */
	children: q
		.select({ id: offices.id, name: offices.name })
		.from(offices)
		.where(eq(offices.parentId, placeholder('parentId')))
		.orderBy(offices.sortOrder, offices.id)
		.prepare(),
	/** { userId }: where a user belongs now. */
	userOffice: q
		.select({ id: users.id, officeId: users.officeId })
		.from(users)
		.where(eq(users.id, placeholder('userId')))
		.prepare()
}));
