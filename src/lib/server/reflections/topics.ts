import { asc, eq, or } from 'drizzle-orm';
import type { Queryable } from '../db';
import { modules } from '../db/schema';
import { visibleModule, type Viewer } from '../learning/audience';
import { studySessionsForUser } from '../study-sessions';

/**
 * What a reflection can be about: the modules the user may study (learning/audience.ts; a draft
 * keeps the module it already has) and the user's sessions of the last 90 days.
 */
export function topicOptions(
	db: Queryable,
	viewer: Viewer,
	keepModuleId: number | null = null,
	now = new Date()
) {
	const visible = visibleModule(db, viewer);
	return {
		modules: db
			.select({ id: modules.id, title: modules.title })
			.from(modules)
			.where(keepModuleId ? or(visible, eq(modules.id, keepModuleId)) : visible)
			.orderBy(asc(modules.sortOrder), asc(modules.id))
			.all(),
		sessions: studySessionsForUser(db, viewer.officeId, new Date(now.getTime() - 90 * 86_400_000), 20).filter(
			(s) => s.startsAt.getTime() <= now.getTime()
		)
	};
}
