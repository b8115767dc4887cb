import { asc, isNull } from 'drizzle-orm';
import type { Queryable } from '../db';
import { modules } from '../db/schema';
import type { CourseInput } from './courses';

/** The course form's fields as saveCourse takes them (module ids in the order ticked). */
export function courseInputFrom(form: FormData): CourseInput {
	const text = (k: string) => String(form.get(k) ?? '');
	return {
		title: text('title'),
		description: text('description'),
		hours: text('hours'),
		required: text('required'),
		opensOn: text('opensOn'),
		dueOn: text('dueOn'),
		moduleIds: form.getAll('moduleIds').map(String)
	};
}

export function moduleOptions(db: Queryable) {
	return db.select({ id: modules.id, title: modules.title }).from(modules).where(isNull(modules.archivedAt)).orderBy(asc(modules.sortOrder)).all();
}
