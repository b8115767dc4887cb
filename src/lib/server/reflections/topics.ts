import { asc, isNull } from 'drizzle-orm';
import type { Queryable } from '../db';
import { modules } from '../db/schema';
import { studySessionsForUser } from '../study-sessions';

/** What a reflection can be about: the live modules and the user's sessions of the last 90 days. */
export function topicOptions(db: Queryable, officeId: number | null, now = new Date()) {
	return {
		modules: db
			.select({ id: modules.id, title: modules.title })
			.from(modules)
			.where(isNull(modules.archivedAt))
			.orderBy(asc(modules.sortOrder))
			.all(),
		sessions: studySessionsForUser(db, officeId, new Date(now.getTime() - 90 * 86_400_000), 20).filter(
			(s) => s.startsAt.getTime() <= now.getTime()
		)
	};
}
