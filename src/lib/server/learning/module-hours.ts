import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { attempts, lessonProgress, lessons, modules, questions } from '../db/schema';
import { credit } from '../courses/hours';

/**
 * Whether the user has completed the module, by the rule courses use for each of their modules
 * (courses/progress.ts): every live lesson studied and, when the module has questions, its
 * quiz passed. A module without lessons is never complete.
 */
export function moduleCompleted(tx: Queryable, userId: number, moduleId: number): boolean {
	const row = tx
		.select({
			lessons: sql<number>`count(*)`,
			done: sql<number>`count(${lessonProgress.completedAt})`,
			bank: sql<number>`(SELECT count(*) FROM ${questions} WHERE ${questions.moduleId} = ${moduleId}
				AND ${questions.archivedAt} IS NULL)`,
			passed: sql<number>`EXISTS (SELECT 1 FROM ${attempts} WHERE ${attempts.userId} = ${userId}
				AND ${attempts.kind} = 'module' AND ${attempts.moduleId} = ${moduleId} AND ${attempts.passed} = 1)`
		})
		.from(lessons)
		.leftJoin(lessonProgress, and(eq(lessonProgress.lessonId, lessons.id), eq(lessonProgress.userId, userId)))
		.where(and(eq(lessons.moduleId, moduleId), isNull(lessons.archivedAt)))
		.get();
	if (!row || row.lessons === 0 || row.done < row.lessons) return false;
	return row.bank === 0 || Boolean(row.passed);
}

/**
 * Credits a module's 学时 (modules.credit_hours > 0) once per user, in the Shanghai year of
 * completion, as a credit_hours row with source 'module'. Call inside the transaction that
 * recorded a lesson completion or a quiz pass of the module; it does nothing until the module
 * is complete, nor a second time. Returns whether it credited now.
 */
export function creditModuleHours(tx: Queryable, userId: number, moduleId: number, now: Date): boolean {
	const mod = tx
		.select({ title: modules.title, creditHours: modules.creditHours })
		.from(modules)
		.where(and(eq(modules.id, moduleId), isNull(modules.archivedAt)))
		.get();
	if (!mod || !(mod.creditHours > 0) || !moduleCompleted(tx, userId, moduleId)) return false;
	return credit(tx, {
		userId,
		source: 'module',
		sourceId: moduleId,
		title: mod.title,
		hours: mod.creditHours,
		at: now
	});
}
