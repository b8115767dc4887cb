import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import {
	creditHours,
	lessonProgress,
	lessons,
	modules,
	offices,
	questions,
	schools,
	themes
} from '../db/schema';
import { pickableModule, visibleModule, type ModulePicker, type Viewer } from './audience';

export type { Viewer, ModulePicker } from './audience';

export type ModuleStatus = 'not-started' | 'in-progress' | 'done';
export const STATUS_LABELS: Record<ModuleStatus, string> = {
	'not-started': '未开始',
	'in-progress': '学习中',
	done: '已完成'
};

/** Built-in modules (from content/) have no owner: shown as 系统内容. */
export const SYSTEM_OWNER = { key: 'system', name: '系统内容' } as const;

/** Who a module belongs to, as the catalog shows and filters it: `system`, `school-<id>` or `office-<id>`. */
export interface ModuleOwner {
	key: string;
	name: string;
}

/** The owner columns (with the owner's name joined) as a ModuleOwner. */
function ownerOf(row: {
	ownerSchoolId: number | null;
	ownerOfficeId: number | null;
	schoolName: string | null;
	officeName: string | null;
}): ModuleOwner {
	if (row.ownerSchoolId !== null) return { key: `school-${row.ownerSchoolId}`, name: row.schoolName ?? '' };
	if (row.ownerOfficeId !== null) return { key: `office-${row.ownerOfficeId}`, name: row.officeName ?? '' };
	return SYSTEM_OWNER;
}

const ownerColumns = {
	ownerSchoolId: modules.ownerSchoolId,
	ownerOfficeId: modules.ownerOfficeId,
	schoolName: schools.name,
	officeName: offices.name
};

export interface ModuleCard {
	id: number;
	slug: string;
	title: string;
	summary: string;
	minutes: number;
	/** 学时 credited once on completing the module (0: none). */
	creditHours: number;
	themeSlug: string;
	themeName: string;
	owner: ModuleOwner;
	lessonCount: number;
	doneCount: number;
	status: ModuleStatus;
	lastActivity: number | null;
}

function statusOf(done: number, total: number, opened: number): ModuleStatus {
	if (total > 0 && done >= total) return 'done';
	return done > 0 || opened > 0 ? 'in-progress' : 'not-started';
}

/** Every module this viewer may study, with their progress, in catalog order (built-in first, then authored). */
export function moduleCards(db: Queryable, viewer: Viewer): ModuleCard[] {
	const rows = db
		.select({
			id: modules.id,
			slug: modules.slug,
			title: modules.title,
			summary: modules.summary,
			minutes: modules.minutes,
			creditHours: modules.creditHours,
			themeSlug: themes.slug,
			themeName: themes.name,
			...ownerColumns,
			lessonCount: sql<number>`count(${lessons.id})`,
			doneCount: sql<number>`count(${lessonProgress.completedAt})`,
			openedCount: sql<number>`count(${lessonProgress.openedAt})`,
			lastActivity: sql<
				number | null
			>`max(coalesce(${lessonProgress.completedAt}, ${lessonProgress.openedAt}))`
		})
		.from(modules)
		.innerJoin(themes, eq(themes.id, modules.themeId))
		.leftJoin(schools, eq(schools.id, modules.ownerSchoolId))
		.leftJoin(offices, eq(offices.id, modules.ownerOfficeId))
		.leftJoin(lessons, and(eq(lessons.moduleId, modules.id), isNull(lessons.archivedAt)))
		.leftJoin(
			lessonProgress,
			and(eq(lessonProgress.lessonId, lessons.id), eq(lessonProgress.userId, viewer.id))
		)
		.where(visibleModule(db, viewer))
		.groupBy(modules.id)
		.orderBy(asc(modules.sortOrder), asc(modules.id))
		.all();
	return rows.map(({ openedCount, ownerSchoolId, ownerOfficeId, schoolName, officeName, ...moduleRow }) => ({
		...moduleRow,
		owner: ownerOf({ ownerSchoolId, ownerOfficeId, schoolName, officeName }),
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

/** The live themes in their order: the pack's first, then those party schools added. */
export function listThemes(db: Queryable) {
	return db
		.select({ id: themes.id, slug: themes.slug, name: themes.name })
		.from(themes)
		.where(isNull(themes.archivedAt))
		.orderBy(sql`${themes.ownerSchoolId} IS NOT NULL`, asc(themes.sortOrder), asc(themes.id))
		.all();
}

/**
 * The 学习 page: the viewer's catalog filtered by theme and by owner (`?theme=<slug>`,
 * `?owner=system|school-<id>|office-<id>`; a value that matches nothing the viewer has is no
 * filter). The theme chips and owner options are those present in the viewer's catalog.
 */
export function catalogPage(
	db: Queryable,
	viewer: Viewer,
	filters: { theme: string | null; owner: string | null }
) {
	const cards = moduleCards(db, viewer);
	const themeList = listThemes(db).filter((t) => cards.some((c) => c.themeSlug === t.slug));
	const owners: ModuleOwner[] = [];
	for (const c of cards) if (!owners.some((o) => o.key === c.owner.key)) owners.push(c.owner);
	owners.sort((a, b) => Number(b.key === SYSTEM_OWNER.key) - Number(a.key === SYSTEM_OWNER.key));
	const theme = themeList.find((t) => t.slug === filters.theme)?.slug ?? null;
	const owner = owners.find((o) => o.key === filters.owner)?.key ?? null;
	return {
		themes: themeList,
		theme,
		owners,
		owner,
		total: cards.length,
		modules: cards.filter((c) => (!theme || c.themeSlug === theme) && (!owner || c.owner.key === owner)),
		next: continueTarget(db, viewer, cards)
	};
}

export interface ModuleOption {
	id: number;
	title: string;
	/** 系统内容, or the school or office that wrote it. */
	ownerName: string;
}

/**
 * The modules an admin may pick (courses, study sessions, live quizzes), in catalog order:
 * see `ModulePicker` (audience.ts). `keep`: modules already chosen (a course being edited), listed
 * while they are live even if they left the picker since.
 */
export function moduleOptions(db: Queryable, picker: ModulePicker, keep: number[] = []): ModuleOption[] {
	const kept = keep.length ? sql`(${modules.archivedAt} IS NULL AND ${modules.id} IN ${keep})` : sql`0`;
	return db
		.select({ id: modules.id, title: modules.title, ...ownerColumns })
		.from(modules)
		.leftJoin(schools, eq(schools.id, modules.ownerSchoolId))
		.leftJoin(offices, eq(offices.id, modules.ownerOfficeId))
		.where(sql`(${pickableModule(db, picker)} OR ${kept})`)
		.orderBy(asc(modules.sortOrder), asc(modules.id))
		.all()
		.map((m) => ({ id: m.id, title: m.title, ownerName: ownerOf(m).name }));
}

/** Whether every id is in the picker's list (or among `keep`, while live): the check behind every module choice. */
export function pickableModules(
	db: Queryable,
	picker: ModulePicker,
	ids: number[],
	keep: number[] = []
): boolean {
	if (ids.length === 0) return true;
	const allowed = new Set(moduleOptions(db, picker, keep).map((m) => m.id));
	return ids.every((id) => allowed.has(id));
}

/** The message for a module outside the list (a tampered form, or one withdrawn meanwhile). */
export const NOT_PICKABLE = '请选择列表中的学习模块';

export interface LessonItem {
	id: number;
	slug: string;
	title: string;
	sortOrder: number;
	minReadSeconds: number;
	done: boolean;
}

/**
 * A module by slug, if this viewer may study it (the one loader of the module, lesson and quiz
 * pages: a module outside the viewer's audience is the same 404 as an archived one), with its
 * owner, its 学时 and whether this viewer has been credited them.
 */
export function getModule(db: Queryable, viewer: Viewer, slug: string) {
	const row = db
		.select({
			id: modules.id,
			slug: modules.slug,
			title: modules.title,
			summary: modules.summary,
			minutes: modules.minutes,
			introHtml: modules.introHtml,
			creditHours: modules.creditHours,
			themeName: themes.name,
			...ownerColumns,
			bank: sql<number>`(SELECT count(*) FROM ${questions} WHERE ${questions.moduleId} = ${modules.id} AND ${questions.archivedAt} IS NULL)`,
			credited: sql<number>`EXISTS (SELECT 1 FROM ${creditHours} WHERE ${creditHours.userId} = ${viewer.id}
				AND ${creditHours.source} = 'module' AND ${creditHours.sourceId} = ${modules.id})`
		})
		.from(modules)
		.innerJoin(themes, eq(themes.id, modules.themeId))
		.leftJoin(schools, eq(schools.id, modules.ownerSchoolId))
		.leftJoin(offices, eq(offices.id, modules.ownerOfficeId))
		.where(and(eq(modules.slug, slug), visibleModule(db, viewer)))
		.get();
	if (!row) return undefined;
	const { ownerSchoolId, ownerOfficeId, schoolName, officeName, bank, credited, ...mod } = row;
	return {
		...mod,
		owner: ownerOf({ ownerSchoolId, ownerOfficeId, schoolName, officeName }),
		/** Completing the module means passing its quiz too, when it has questions (learning/module-hours.ts). */
		hasQuiz: bank > 0,
		credited: Boolean(credited)
	};
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

/** A live lesson of a module; `moduleId` comes from `getModule`, which checked the viewer's audience. */
export function getLesson(db: Queryable, moduleId: number, slug: string) {
	return db
		.select()
		.from(lessons)
		.where(and(eq(lessons.moduleId, moduleId), eq(lessons.slug, slug), isNull(lessons.archivedAt)))
		.get();
}

/** A lesson page's module and lesson, if this viewer may study them (else undefined: the page's 404). */
export function findLesson(db: Queryable, viewer: Viewer, moduleSlug: string, lessonSlug: string) {
	const mod = getModule(db, viewer, moduleSlug);
	const lesson = mod && getLesson(db, mod.id, lessonSlug);
	return mod && lesson ? { module: mod, lesson } : undefined;
}

/** 第六部分 · （一）第1段 — where a lesson's passage stands in the report. */
export function sourceLabel(l: {
	sourcePart: string;
	sourceHeading: string;
	sourceSection: string | null;
	sourceParagraph: number;
}): string {
	// Authored lessons may name no passage ('' / 0): nothing to show then.
	if (!l.sourcePart) return '';
	// Not report text: its heading column lists its sources (content/sync.ts).
	if (l.sourcePart === '补充材料') return `补充材料：${l.sourceHeading}`;
	if (l.sourcePart === '开篇' || l.sourcePart === '结束语')
		return `报告${l.sourcePart}${l.sourceParagraph ? ` 第${l.sourceParagraph}段` : ''}`;
	return `报告第${l.sourcePart}部分${l.sourceHeading ? `“${l.sourceHeading}”` : ''}${l.sourceSection ? ' ' + l.sourceSection : ''}${l.sourceParagraph ? ` 第${l.sourceParagraph}段` : ''}`;
}

/** What "继续学习" opens: the module to continue and, inside it, the first unfinished lesson. */
export function continueTarget(db: Queryable, viewer: Viewer, cards = moduleCards(db, viewer)) {
	const next = moduleToContinue(cards);
	if (!next) return null;
	const lesson = resumeLesson(moduleLessons(db, next.id, viewer.id));
	return {
		...next,
		lessonTitle: lesson?.title ?? null,
		href: lesson ? `/learn/${next.slug}/${lesson.slug}` : `/learn/${next.slug}`
	};
}
