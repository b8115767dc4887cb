import { asc, isNull } from 'drizzle-orm';
import { getDb } from '$lib/server/db';
import { modules } from '$lib/server/db/schema';
import { bankSize, getQuizSettings } from '$lib/server/quiz/settings';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	const db = getDb();
	const list = db.select({ id: modules.id, slug: modules.slug, title: modules.title }).from(modules).where(isNull(modules.archivedAt)).orderBy(asc(modules.sortOrder)).all();
	return { modules: list.map((m) => ({ ...m, settings: getQuizSettings(db, m.id)!, bank: bankSize(db, m.id) })) };
};
