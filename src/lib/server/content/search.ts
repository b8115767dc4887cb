import { sql } from 'drizzle-orm';
import type { Queryable } from '../db';
import { containsPattern } from '../db/like';
import { escapeHtml } from '../html';

export interface SearchResult {
	kind: 'module' | 'lesson';
	title: string;
	moduleSlug: string;
	moduleTitle: string;
	lessonSlug: string | null;
	/** HTML: escaped text with the match in <mark>. */
	snippetHtml: string;
}

const OPEN = '\u0002';
const CLOSE = '\u0003';
export const MAX_QUERY_LENGTH = 50;
const LIMIT = 30;

function markup(snippet: string): string {
	return escapeHtml(snippet.replace(/\s+/g, ' ')).replaceAll(OPEN, '<mark>').replaceAll(CLOSE, '</mark>');
}

/** A short excerpt around the first occurrence of `q`, with the match marked. */
function excerpt(text: string, q: string, radius = 24): string {
	const at = text.indexOf(q);
	if (at < 0) return escapeHtml(text.slice(0, radius * 2)) + (text.length > radius * 2 ? '…' : '');
	const start = Math.max(0, at - radius);
	const end = Math.min(text.length, at + q.length + radius);
	return (
		(start > 0 ? '…' : '') +
		markup(text.slice(start, at) + OPEN + q + CLOSE + text.slice(at + q.length, end)) +
		(end < text.length ? '…' : '')
	);
}

/**
 * What a person could have meant to type: control characters (a NUL ends FTS5's query string
 * early: "unterminated string"; \u0002/\u0003 are our own match marks) and lone surrogates
 * become spaces, runs of space one, and the length is cut by characters, not UTF-16 halves.
 */
export function cleanQuery(raw: string): string {
	const text = raw.replace(/[\p{Cc}\p{Cs}]/gu, ' ').replace(/\s+/g, ' ').trim();
	return Array.from(text).slice(0, MAX_QUERY_LENGTH).join('').trim();
}

interface Row {
	kind: 'module' | 'lesson';
	title: string;
	body: string;
	snip: string | null;
	moduleSlug: string;
	moduleTitle: string;
	lessonSlug: string | null;
}

/**
 * Searches live module and lesson titles and text. Three characters or more go
 * to the FTS5 trigram index (any Chinese substring matches); one or two
 * characters, which trigrams cannot index, fall back to a LIKE scan.
 */
export function search(db: Queryable, rawQuery: string): SearchResult[] {
	const q = cleanQuery(rawQuery);
	if (!q) return [];
	const rows = Array.from(q).length >= 3 ? ftsSearch(db, q) : likeSearch(db, q);
	return rows.map((r) => ({
		kind: r.kind,
		title: r.title,
		moduleSlug: r.moduleSlug,
		moduleTitle: r.moduleTitle,
		lessonSlug: r.lessonSlug,
		snippetHtml: r.snip !== null ? markup(r.snip) : r.body.includes(q) ? excerpt(r.body, q) : excerpt(r.title, q)
	}));
}

function ftsSearch(db: Queryable, q: string): Row[] {
	// One quoted phrase: FTS5 operators (AND, NEAR, *, ^, column filters) are plain text inside it.
	const phrase = `"${q.replaceAll('"', '""')}"`;
	return db.all<Row>(sql`
		SELECT s.kind AS kind, s.title AS title, s.body AS body,
			snippet(search_index, 3, ${OPEN}, ${CLOSE}, '…', 32) AS snip,
			m.slug AS moduleSlug, m.title AS moduleTitle, l.slug AS lessonSlug
		FROM search_index s
		LEFT JOIN lessons l ON s.kind = 'lesson' AND l.id = s.ref_id
		JOIN modules m ON m.id = CASE s.kind WHEN 'lesson' THEN l.module_id ELSE s.ref_id END
		WHERE search_index MATCH ${phrase}
		ORDER BY s.kind = 'lesson', rank
		LIMIT ${LIMIT}`).map((r) => ({ ...r, snip: r.snip && r.snip.includes(OPEN) ? r.snip : null }));
}

function likeSearch(db: Queryable, q: string): Row[] {
	const pattern = containsPattern(q);
	return db.all<Row>(sql`
		SELECT * FROM (
			SELECT 'module' AS kind, m.title AS title, m.summary AS body, NULL AS snip,
				m.slug AS moduleSlug, m.title AS moduleTitle, NULL AS lessonSlug, m.sort_order AS o1, 0 AS o2
			FROM modules m
			WHERE m.archived_at IS NULL AND (m.title LIKE ${pattern} ESCAPE '\\' OR m.summary LIKE ${pattern} ESCAPE '\\')
			UNION ALL
			SELECT 'lesson', l.title, l.plain_text, NULL, m.slug, m.title, l.slug, m.sort_order, l.sort_order
			FROM lessons l JOIN modules m ON m.id = l.module_id
			WHERE l.archived_at IS NULL AND m.archived_at IS NULL
				AND (l.title LIKE ${pattern} ESCAPE '\\' OR l.plain_text LIKE ${pattern} ESCAPE '\\')
		)
		ORDER BY kind = 'lesson', o1, o2
		LIMIT ${LIMIT}`);
}
