import { and, eq, isNull, notInArray, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db, Queryable } from '../db';
import { lessons, modules, questions, themes } from '../db/schema';
import { readPack, type ContentPack } from './pack';
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
 */
export function syncContent(db: Db, dir = contentDir(), now = new Date()): SyncSummary {
	const pack = readPack(dir);
	const rendered = renderPack(pack);
	const summary: SyncSummary = { created: 0, updated: 0, archived: 0, unchanged: 0 };
	const count: CountOutcome = (outcome) => summary[outcome]++;

	db.transaction(
		(tx) => {
			const themeIds = upsertThemes(tx, pack);
			summary.archived += archiveMissing(tx, themes, themes.slug, pack.themes.map((t) => t.slug), now);
			for (const renderedModule of rendered) upsertModule(tx, renderedModule, themeIds, now, count);
			const questionKeys = upsertQuestions(tx, pack, now, count);
			summary.archived += archiveLeftovers(tx, pack, questionKeys, now);
			rebuildSearchIndex(tx);
		}
	);
	return summary;
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
		upsert(tx, lessons, lessons.slug, lesson.meta.slug, lesson.hash, lessonValues, count);
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
				contentHash: question.hash,
				archivedAt: null,
				updatedAt: now
			};
			upsert(tx, questions, questions.key, key, question.hash, values, count);
		}
	}
	return questionKeys;
}

/** Archives the modules, lessons and questions that left the pack; returns how many. */
function archiveLeftovers(tx: Queryable, pack: ContentPack, questionKeys: string[], now: Date): number {
	const moduleSlugs = pack.modules.map((m) => m.meta.slug);
	const lessonSlugs = pack.modules.flatMap((m) => m.lessons.map((l) => l.meta.slug));
	return (
		archiveMissing(tx, modules, modules.slug, moduleSlugs, now) +
		archiveMissing(tx, lessons, lessons.slug, lessonSlugs, now) +
		archiveMissing(tx, questions, questions.key, questionKeys, now)
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
					sourcePart: l.meta.source.part,
					sourceHeading: l.meta.source.heading,
					sourceSection: l.meta.source.section ?? null,
					sourceParagraph: l.meta.source.paragraph,
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
	now: Date
): number {
	const result = tx
		.update(table)
		.set({ archivedAt: now })
		.where(and(isNull(table.archivedAt), present.length ? notInArray(keyColumn, present) : undefined))
		.run();
	return result.changes;
}

/** The FTS index mirrors the live (unarchived) modules and lessons. */
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
