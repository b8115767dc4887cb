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
	const count = (result: 'created' | 'updated' | 'unchanged') => summary[result]++;

	db.transaction(
		(tx) => {
			const themeIds = new Map<string, number>();
			for (const t of pack.themes) {
				const row = tx
					.insert(themes)
					.values({ slug: t.slug, name: t.name, sortOrder: t.order })
					.onConflictDoUpdate({ target: themes.slug, set: { name: t.name, sortOrder: t.order, archivedAt: null } })
					.returning({ id: themes.id })
					.get();
				themeIds.set(t.slug, row.id);
			}
			summary.archived += archiveMissing(tx, themes, themes.slug, pack.themes.map((t) => t.slug), now);

			for (const m of rendered) {
				const values = {
					slug: m.meta.slug,
					themeId: themeIds.get(m.meta.theme)!,
					title: m.meta.title,
					summary: m.meta.summary,
					minutes: m.meta.minutes,
					sortOrder: m.meta.order,
					introHtml: m.introHtml,
					quizDefaults: JSON.stringify(m.meta.quiz),
					contentHash: m.hash,
					archivedAt: null,
					updatedAt: now
				};
				const moduleId = upsert(tx, modules, modules.slug, m.meta.slug, m.hash, values, count);
				for (const l of m.lessons) {
					upsert(tx, lessons, lessons.slug, l.meta.slug, l.hash, { ...l.values, moduleId, archivedAt: null, updatedAt: now }, count);
				}
			}
			const lessonIds = new Map(tx.select({ id: lessons.id, slug: lessons.slug }).from(lessons).all().map((l) => [l.slug, l.id]));
			const moduleIds = new Map(tx.select({ id: modules.id, slug: modules.slug }).from(modules).all().map((m) => [m.slug, m.id]));
			const questionKeys: string[] = [];
			for (const m of pack.modules) {
				for (const q of m.questions) {
					const key = `${m.meta.slug}/${q.id}`;
					questionKeys.push(key);
					const values = {
						key,
						moduleId: moduleIds.get(m.meta.slug)!,
						lessonId: lessonIds.get(q.lesson)!,
						type: q.type,
						stem: q.stem,
						options: JSON.stringify(q.options),
						answer: JSON.stringify(q.answer),
						explanation: q.explanation,
						contentHash: q.hash,
						archivedAt: null,
						updatedAt: now
					};
					upsert(tx, questions, questions.key, key, q.hash, values, count);
				}
			}
			summary.archived += archiveMissing(tx, modules, modules.slug, pack.modules.map((m) => m.meta.slug), now);
			summary.archived += archiveMissing(tx, lessons, lessons.slug, pack.modules.flatMap((m) => m.lessons.map((l) => l.meta.slug)), now);
			summary.archived += archiveMissing(tx, questions, questions.key, questionKeys, now);
			rebuildSearchIndex(tx);
		},
		{ behavior: 'immediate' }
	);
	return summary;
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
	count: (r: 'created' | 'updated' | 'unchanged') => void
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
