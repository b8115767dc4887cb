import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { lessons, modules } from '../db/schema';
import { visibleModule, type Viewer } from '../learning/audience';
import { CLOSING, OPENING, citesReport, numeralValue, paragraphId, parseCitation } from '../../report-place';
import { tifaBlocks } from './cite';
import { loadReport, paragraphsById, type ReportParagraph } from './text';

/*
 * Which paragraphs of the report the lessons teach: a lesson's front-matter source and the
 * paragraphs its 提法 cite. The 原文 reader shows them beside each paragraph, the 学习地图 counts
 * them as the share of each part that is taught.
 */

/** The part a lesson's `source_part` names (开篇, 一 … 十五, 结束语); -1 for none (supplementary material). */
export function lessonPart(sourcePart: string): number {
	if (sourcePart === '开篇') return OPENING;
	if (sourcePart === '结束语') return CLOSING;
	return numeralValue(sourcePart) || -1;
}

export interface TaughtLesson {
	lessonId: number;
	moduleId: number;
	title: string;
	href: string;
}

/**
 * The paragraph a lesson's front matter names (its part, its numbered section if any, the paragraph
 * there), as its anchor; null for supplementary lessons and authored ones that name no passage.
 */
export function lessonSourceId(l: {
	sourcePart: string;
	sourceSection: string | null;
	sourceParagraph: number;
}): string | null {
	const part = lessonPart(l.sourcePart);
	if (part < 0 || !l.sourceParagraph) return null;
	const numeral = /^（([一二三四五六七八九十]+)）/.exec(l.sourceSection ?? '');
	const section = numeral ? numeralValue(numeral[1]!) : 0;
	const id = paragraphId(part, section, l.sourceParagraph);
	return paragraphsById(loadReport()).has(id) ? id : null;
}

/** Where a lesson's source line links in the 原文 reader, highlighted; null when it names no paragraph. */
export function lessonSourceHref(l: {
	sourcePart: string;
	sourceSection: string | null;
	sourceParagraph: number;
}): string | null {
	const id = lessonSourceId(l);
	if (!id) return null;
	const para = paragraphsById(loadReport()).get(id)!;
	return `/learn/report/${para.part}?p=${id}#${id}`;
}

/** The paragraphs a lesson teaches: its front-matter source and every paragraph its 提法 cite. */
function lessonParagraphs(
	l: { sourcePart: string; sourceSection: string | null; sourceParagraph: number; bodyMd: string },
	known: Map<string, ReportParagraph>
): Set<string> {
	const ids = new Set<string>();
	const own = lessonSourceId(l);
	if (own) ids.add(own);
	for (const { cited } of tifaBlocks(l.bodyMd)) {
		if (!citesReport(cited)) continue;
		const place = parseCitation(cited);
		if (!place) continue;
		const id = paragraphId(place.part, place.section, place.index);
		if (known.has(id)) ids.add(id);
	}
	return ids;
}

const taughtCache = new WeakMap<object, { key: string; map: Map<string, TaughtLesson[]> }>();

/**
 * Which paragraphs (by anchor id) the live lessons teach, each with its lessons in catalog order.
 * Parsing every lesson's Markdown is kept per process and connection until the lessons or modules
 * change (their latest `updated_at`, archive time and count make the key).
 */
export function taughtParagraphs(db: Queryable): Map<string, TaughtLesson[]> {
	const stamp = db
		.select({
			lessons: sql<string>`(SELECT coalesce(max(updated_at), 0) || ':' || coalesce(max(archived_at), 0) || ':' || count(*) FROM lessons)`,
			modules: sql<string>`(SELECT coalesce(max(updated_at), 0) || ':' || coalesce(max(archived_at), 0) || ':' || count(*) FROM modules)`
		})
		.from(sql`(SELECT 1)`)
		.get()!;
	const key = `${stamp.lessons}/${stamp.modules}`;
	const cached = taughtCache.get(db.$client);
	if (cached?.key === key) return cached.map;
	const known = paragraphsById(loadReport());
	const rows = db
		.select({
			lessonId: lessons.id,
			moduleId: modules.id,
			title: lessons.title,
			lessonSlug: lessons.slug,
			moduleSlug: modules.slug,
			sourcePart: lessons.sourcePart,
			sourceSection: lessons.sourceSection,
			sourceParagraph: lessons.sourceParagraph,
			bodyMd: lessons.bodyMd
		})
		.from(lessons)
		.innerJoin(modules, eq(modules.id, lessons.moduleId))
		.where(and(isNull(lessons.archivedAt), isNull(modules.archivedAt)))
		.orderBy(modules.sortOrder, modules.id, lessons.sortOrder, lessons.id)
		.all();
	const map = new Map<string, TaughtLesson[]>();
	for (const r of rows) {
		const lesson: TaughtLesson = {
			lessonId: r.lessonId,
			moduleId: r.moduleId,
			title: r.title,
			href: `/learn/${r.moduleSlug}/${r.lessonSlug}`
		};
		for (const id of lessonParagraphs(r, known)) {
			const list = map.get(id) ?? [];
			list.push(lesson);
			map.set(id, list);
		}
	}
	taughtCache.set(db.$client, { key, map });
	return map;
}

/** The modules this viewer may study, to show only lessons they can open. */
function visibleModuleIds(db: Queryable, viewer: Viewer): Set<number> {
	return new Set(
		db
			.select({ id: modules.id })
			.from(modules)
			.where(visibleModule(db, viewer))
			.all()
			.map((m) => m.id)
	);
}

/** taughtParagraphs as this viewer may follow it: lessons of modules outside their audience left out. */
export function taughtFor(db: Queryable, viewer: Viewer): Map<string, TaughtLesson[]> {
	const visible = visibleModuleIds(db, viewer);
	const out = new Map<string, TaughtLesson[]>();
	for (const [id, list] of taughtParagraphs(db)) {
		const seen = list.filter((l) => visible.has(l.moduleId));
		if (seen.length) out.set(id, seen);
	}
	return out;
}
