import { and, eq, inArray, isNotNull, isNull, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db, Queryable } from '../db';
import { lessons, modules, questions, themes } from '../db/schema';
import { ContentError, readPack, SUPPLEMENT_PART, type ContentPack, type ContentProblem, type PackLesson } from './pack';
import { minReadSeconds, plainTextOf, readingLength, renderMarkdown } from './render';

export interface SyncSummary {
	created: number;
	updated: number;
	archived: number;
	unchanged: number;
}

export const DEFAULT_CONTENT_DIR = 'content';

export function contentDir(): string {
	return process.env.CONTENT_DIR || DEFAULT_CONTENT_DIR;
}

/**
 * Loads the content pack into the database, idempotently. Rows are matched by
 * slug (questions by module/id) and rewritten only when their content hash
 * changed; ids stay, so progress, attempts and points keep pointing at them.
 * Whatever left the pack is archived. Nothing is written unless the whole pack
 * is valid (readPack throws ContentError), and the write is one transaction.
 *
 * The pack is the built-in library (系统内容): only rows without an owner are its own. Modules
 * written in the app (owner columns set), their lessons and questions, and the themes party
 * schools added are never updated or archived here; a pack row that would land on one of them
 * stops the sync (ContentError) with nothing written.
 */
export function syncContent(db: Db, dir = contentDir(), now = new Date()): SyncSummary {
	const pack = readPack(dir);
	const rendered = renderPack(pack);
	const summary: SyncSummary = { created: 0, updated: 0, archived: 0, unchanged: 0 };
	const count: CountOutcome = (outcome) => summary[outcome]++;

	db.transaction(
		(tx) => {
			refuseAuthoredCollisions(tx, pack);
			const themeIds = upsertThemes(tx, pack);
			summary.archived += archiveMissing(
				tx,
				themes,
				themes.slug,
				pack.themes.map((t) => t.slug),
				now,
				isNull(themes.ownerSchoolId)
			);
			for (const renderedModule of rendered) upsertModule(tx, renderedModule, themeIds, now, count);
			const questionKeys = upsertQuestions(tx, pack, now, count);
			summary.archived += archiveLeftovers(tx, pack, questionKeys, now);
			rebuildSearchIndex(tx);
		}
	);
	return summary;
}

/** Built-in modules (the pack's own), as a condition on `modules`. */
const builtInModule = and(isNull(modules.ownerSchoolId), isNull(modules.ownerOfficeId));
const builtInModuleIds = sql`(SELECT ${modules.id} FROM ${modules} WHERE ${builtInModule})`;

/**
 * The pack's slugs never name authored rows (pack.ts refuses the `a<n>` slugs authoring uses), but
 * a theme a school added, or a database from elsewhere, could still share one: stop rather than
 * overwrite what someone wrote in the app.
 */
function refuseAuthoredCollisions(tx: Queryable, pack: ContentPack): void {
	const problems: ContentProblem[] = [];
	const themeSlugs = pack.themes.map((t) => t.slug);
	const moduleSlugs = pack.modules.map((m) => m.meta.slug);
	const lessonSlugs = pack.modules.flatMap((m) => m.lessons.map((l) => l.meta.slug));
	const moduleFile = new Map(pack.modules.map((m) => [m.meta.slug, m.file]));
	const lessonFile = new Map(pack.modules.flatMap((m) => m.lessons.map((l) => [l.meta.slug, l.file])));
	if (themeSlugs.length) {
		for (const t of tx
			.select({ slug: themes.slug, name: themes.name })
			.from(themes)
			.where(and(inArray(themes.slug, themeSlugs), isNotNull(themes.ownerSchoolId)))
			.all())
			problems.push({ file: 'themes.yaml', message: `主题 slug ${t.slug} 已被党校在应用内添加的主题“${t.name}”使用，请换一个` });
	}
	const authored = or(isNotNull(modules.ownerSchoolId), isNotNull(modules.ownerOfficeId));
	if (moduleSlugs.length) {
		for (const m of tx
			.select({ slug: modules.slug })
			.from(modules)
			.where(and(inArray(modules.slug, moduleSlugs), authored))
			.all())
			problems.push({ file: moduleFile.get(m.slug) ?? m.slug, message: `模块 slug ${m.slug} 已被应用内编写的模块使用，请换一个` });
	}
	if (lessonSlugs.length) {
		for (const l of tx
			.select({ slug: lessons.slug })
			.from(lessons)
			.innerJoin(modules, eq(modules.id, lessons.moduleId))
			.where(and(inArray(lessons.slug, lessonSlugs), authored))
			.all())
			problems.push({ file: lessonFile.get(l.slug) ?? l.slug, message: `课程 slug ${l.slug} 已被应用内编写的模块使用，请换一个` });
	}
	if (problems.length) throw new ContentError(problems);
}

type Outcome = 'created' | 'updated' | 'unchanged';
type CountOutcome = (outcome: Outcome) => void;
type RenderedModule = ReturnType<typeof renderPack>[number];

/** Themes carry no content hash: each is written every time (and revived if archived). Returns slug → id. */
function upsertThemes(tx: Queryable, pack: ContentPack): Map<string, number> {
	const themeIds = new Map<string, number>();
	for (const theme of pack.themes) {
		const row = tx
			.insert(themes)
			.values({ slug: theme.slug, name: theme.name, sortOrder: theme.order })
			.onConflictDoUpdate({ target: themes.slug, set: { name: theme.name, sortOrder: theme.order, archivedAt: null } })
			.returning({ id: themes.id })
			.get();
		themeIds.set(theme.slug, row.id);
	}
	return themeIds;
}

/** A module and its lessons. */
function upsertModule(tx: Queryable, packModule: RenderedModule, themeIds: Map<string, number>, now: Date, count: CountOutcome): void {
	const { meta } = packModule;
	const values = {
		slug: meta.slug,
		themeId: themeIds.get(meta.theme)!,
		title: meta.title,
		summary: meta.summary,
		minutes: meta.minutes,
		sortOrder: meta.order,
		introHtml: packModule.introHtml,
		quizDefaults: JSON.stringify(meta.quiz),
		contentHash: packModule.hash,
		archivedAt: null,
		updatedAt: now
	};
	const moduleId = upsert(tx, modules, modules.slug, meta.slug, packModule.hash, values, count);
	for (const lesson of packModule.lessons) {
		const lessonValues = { ...lesson.values, moduleId, archivedAt: null, updatedAt: now };
		const lessonId = upsert(tx, lessons, lessons.slug, lesson.meta.slug, lesson.hash, lessonValues, count);
		// The Markdown (what an author's copy of a built-in module starts from): filled in for rows
		// synced before it was kept, whose hash has not changed since.
		tx.update(lessons)
			.set({ bodyMd: lesson.values.bodyMd })
			.where(and(eq(lessons.id, lessonId), sql`${lessons.bodyMd} <> ${lesson.values.bodyMd}`))
			.run();
	}
}

/** Every question of the pack, keyed `<module>/<id>`; run after modules and lessons so their ids exist. Returns the keys. */
function upsertQuestions(tx: Queryable, pack: ContentPack, now: Date, count: CountOutcome): string[] {
	const lessonIds = new Map(tx.select({ id: lessons.id, slug: lessons.slug }).from(lessons).all().map((l) => [l.slug, l.id]));
	const moduleIds = new Map(tx.select({ id: modules.id, slug: modules.slug }).from(modules).all().map((m) => [m.slug, m.id]));
	const questionKeys: string[] = [];
	for (const packModule of pack.modules) {
		for (const question of packModule.questions) {
			const key = `${packModule.meta.slug}/${question.id}`;
			questionKeys.push(key);
			const values = {
				key,
				moduleId: moduleIds.get(packModule.meta.slug)!,
				lessonId: lessonIds.get(question.lesson)!,
				type: question.type,
				stem: question.stem,
				options: JSON.stringify(question.options),
				answer: JSON.stringify(question.answer),
				explanation: question.explanation,
				sourceRef: question.source,
				contentHash: question.hash,
				archivedAt: null,
				updatedAt: now
			};
			upsert(tx, questions, questions.key, key, question.hash, values, count);
		}
	}
	return questionKeys;
}

/** Archives the built-in modules, lessons and questions that left the pack; returns how many. */
function archiveLeftovers(tx: Queryable, pack: ContentPack, questionKeys: string[], now: Date): number {
	const moduleSlugs = pack.modules.map((m) => m.meta.slug);
	const lessonSlugs = pack.modules.flatMap((m) => m.lessons.map((l) => l.meta.slug));
	return (
		archiveMissing(tx, modules, modules.slug, moduleSlugs, now, builtInModule) +
		archiveMissing(tx, lessons, lessons.slug, lessonSlugs, now, inArray(lessons.moduleId, builtInModuleIds)) +
		archiveMissing(tx, questions, questions.key, questionKeys, now, inArray(questions.moduleId, builtInModuleIds))
	);
}

function renderPack(pack: ContentPack) {
	return pack.modules.map((m) => ({
		meta: m.meta,
		hash: m.hash,
		introHtml: renderMarkdown(m.intro),
		lessons: m.lessons.map((l) => {
			const bodyHtml = renderMarkdown(l.body);
			const plainText = plainTextOf(bodyHtml);
			const charCount = readingLength(plainText);
			return {
				meta: l.meta,
				hash: l.hash,
				values: {
					slug: l.meta.slug,
					title: l.meta.title,
					sortOrder: l.meta.order,
					...lessonSourceColumns(l.meta.source),
					bodyMd: l.body,
					bodyHtml,
					plainText,
					charCount,
					minReadSeconds: minReadSeconds(charCount),
					contentHash: l.hash
				}
			};
		})
	}));
}

/** SUPPLEMENT_PART marks a lesson that is not report text; its heading column lists its sources. */
function lessonSourceColumns(source: PackLesson['meta']['source']) {
	if ('supplement' in source)
		return { sourcePart: SUPPLEMENT_PART, sourceHeading: source.supplement.join('；'), sourceSection: null, sourceParagraph: 0 };
	return { sourcePart: source.part, sourceHeading: source.heading, sourceSection: source.section ?? null, sourceParagraph: source.paragraph };
}

type ContentTable = typeof modules | typeof lessons | typeof questions;

/** Insert by natural key, or update when the hash differs (or the row was archived). Returns the id. */
function upsert<T extends ContentTable>(
	tx: Queryable,
	table: T,
	keyColumn: SQLiteColumn,
	key: string,
	hash: string,
	values: T['$inferInsert'],
	count: CountOutcome
): number {
	const existing = tx
		.select({ id: table.id, hash: table.contentHash, archivedAt: table.archivedAt })
		.from(table as SQLiteTable)
		.where(eq(keyColumn, key))
		.get() as { id: number; hash: string; archivedAt: Date | null } | undefined;
	if (!existing) {
		count('created');
		return (tx.insert(table).values(values).returning({ id: table.id }).get() as { id: number }).id;
	}
	if (existing.hash === hash && existing.archivedAt === null) {
		count('unchanged');
		return existing.id;
	}
	count('updated');
	// The generic table type defeats drizzle's per-table inference; values were built for this table.
	tx.update(table).set(values as never).where(eq(table.id, existing.id)).run();
	return existing.id;
}

function archiveMissing(
	tx: Queryable,
	table: ContentTable | typeof themes,
	keyColumn: SQLiteColumn,
	present: string[],
	now: Date,
	ownRows: SQL | undefined
): number {
	const result = tx
		.update(table)
		.set({ archivedAt: now })
		.where(and(isNull(table.archivedAt), ownRows, present.length ? notInArray(keyColumn, present) : undefined))
		.run();
	return result.changes;
}

/**
 * The FTS index mirrors the live (unarchived) modules and lessons, built-in and authored alike
 * (publishing replaces one authored module's rows; who may find what is decided when searching).
 */
function rebuildSearchIndex(tx: Queryable): void {
	tx.run(sql`DELETE FROM search_index`);
	tx.run(sql`
		INSERT INTO search_index (kind, ref_id, title, body)
		SELECT 'module', id, title, summary FROM modules WHERE archived_at IS NULL`);
	tx.run(sql`
		INSERT INTO search_index (kind, ref_id, title, body)
		SELECT 'lesson', l.id, l.title, l.plain_text FROM lessons l
		JOIN modules m ON m.id = l.module_id
		WHERE l.archived_at IS NULL AND m.archived_at IS NULL`);
}
