import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { lessonProgress, lessons, modules, themes } from '../db/schema';

export type ModuleStatus = 'not-started' | 'in-progress' | 'done';
export const STATUS_LABELS: Record<ModuleStatus, string> = {
	'not-started': '未开始',
	'in-progress': '学习中',
	done: '已完成'
};

export interface ModuleCard {
	id: number;
	slug: string;
	title: string;
	summary: string;
	minutes: number;
	themeSlug: string;
	lessonCount: number;
	doneCount: number;
	status: ModuleStatus;
	lastActivity: number | null;
}

function statusOf(done: number, total: number, opened: number): ModuleStatus {
	if (total > 0 && done >= total) return 'done';
	return done > 0 || opened > 0 ? 'in-progress' : 'not-started';
}

/** Every live module with this user's progress, in catalog order. */
export function moduleCards(db: Queryable, userId: number): ModuleCard[] {
	const rows = db
		.select({
			id: modules.id,
			slug: modules.slug,
			title: modules.title,
			summary: modules.summary,
			minutes: modules.minutes,
			themeSlug: themes.slug,
			lessonCount: sql<number>`count(${lessons.id})`,
			doneCount: sql<number>`count(${lessonProgress.completedAt})`,
			openedCount: sql<number>`count(${lessonProgress.openedAt})`,
			lastActivity: sql<
				number | null
			>`max(coalesce(${lessonProgress.completedAt}, ${lessonProgress.openedAt}))`
		})
		.from(modules)
		.innerJoin(themes, eq(themes.id, modules.themeId))
		.leftJoin(lessons, and(eq(lessons.moduleId, modules.id), isNull(lessons.archivedAt)))
		.leftJoin(lessonProgress, and(eq(lessonProgress.lessonId, lessons.id), eq(lessonProgress.userId, userId)))
		.where(isNull(modules.archivedAt))
		.groupBy(modules.id)
		.orderBy(asc(modules.sortOrder), asc(modules.id))
		.all();
	return rows.map(({ openedCount, ...moduleRow }) => ({
		...moduleRow,
		status: statusOf(moduleRow.doneCount, moduleRow.lessonCount, openedCount)
	}));
}

/** The module to continue first: the one most recently worked on and not finished, else the first not started. */
export function moduleToContinue(cards: ModuleCard[]): ModuleCard | null {
	const started = cards
		.filter((c) => c.status === 'in-progress')
		.sort((a, b) => (b.lastActivity ?? 0) - (a.lastActivity ?? 0));
	return started[0] ?? cards.find((c) => c.status === 'not-started') ?? null;
}

export function listThemes(db: Queryable) {
	return db
		.select({ slug: themes.slug, name: themes.name })
		.from(themes)
		.where(isNull(themes.archivedAt))
		.orderBy(asc(themes.sortOrder))
		.all();
}

/** The live modules in catalogue order, for pickers (courses, study sessions, live quizzes). */
export function moduleOptions(db: Queryable): { id: number; title: string }[] {
	return db
		.select({ id: modules.id, title: modules.title })
		.from(modules)
		.where(isNull(modules.archivedAt))
		.orderBy(asc(modules.sortOrder))
		.all();
}

export interface LessonItem {
	id: number;
	slug: string;
	title: string;
	sortOrder: number;
	minReadSeconds: number;
	done: boolean;
}

export function getModule(db: Queryable, slug: string) {
	return db
		.select({
			id: modules.id,
			slug: modules.slug,
			title: modules.title,
			summary: modules.summary,
			minutes: modules.minutes,
			introHtml: modules.introHtml,
			themeName: themes.name
		})
		.from(modules)
		.innerJoin(themes, eq(themes.id, modules.themeId))
		.where(and(eq(modules.slug, slug), isNull(modules.archivedAt)))
		.get();
}

/** A module's live lessons in order, with whether this user has studied each. */
export function moduleLessons(db: Queryable, moduleId: number, userId: number): LessonItem[] {
	return db
		.select({
			id: lessons.id,
			slug: lessons.slug,
			title: lessons.title,
			sortOrder: lessons.sortOrder,
			minReadSeconds: lessons.minReadSeconds,
			done: sql<number>`${lessonProgress.completedAt} IS NOT NULL`
		})
		.from(lessons)
		.leftJoin(lessonProgress, and(eq(lessonProgress.lessonId, lessons.id), eq(lessonProgress.userId, userId)))
		.where(and(eq(lessons.moduleId, moduleId), isNull(lessons.archivedAt)))
		.orderBy(asc(lessons.sortOrder), asc(lessons.id))
		.all()
		.map((l) => ({ ...l, done: Boolean(l.done) }));
}

/** Where reopening a module takes you: its first unfinished lesson (or the first, when all are done). */
export function resumeLesson(items: LessonItem[]): LessonItem | undefined {
	return items.find((l) => !l.done) ?? items[0];
}

export function getLesson(db: Queryable, moduleId: number, slug: string) {
	return db
		.select()
		.from(lessons)
		.where(and(eq(lessons.moduleId, moduleId), eq(lessons.slug, slug), isNull(lessons.archivedAt)))
		.get();
}

/** 第六部分 · （一）第1段 — where a lesson's passage stands in the report. */
export function sourceLabel(l: {
	sourcePart: string;
	sourceHeading: string;
	sourceSection: string | null;
	sourceParagraph: number;
}): string {
	return `报告第${l.sourcePart}部分“${l.sourceHeading}”${l.sourceSection ? ' ' + l.sourceSection : ''} 第${l.sourceParagraph}段`;
}

/** What "继续学习" opens: the module to continue and, inside it, the first unfinished lesson. */
export function continueTarget(db: Queryable, userId: number, cards = moduleCards(db, userId)) {
	const next = moduleToContinue(cards);
	if (!next) return null;
	const lesson = resumeLesson(moduleLessons(db, next.id, userId));
	return {
		...next,
		lessonTitle: lesson?.title ?? null,
		href: lesson ? `/learn/${next.slug}/${lesson.slug}` : `/learn/${next.slug}`
	};
}
