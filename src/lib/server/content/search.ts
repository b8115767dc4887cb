import type { Queryable } from '../db';
import { containsPattern } from '../db/like';
import { escapeHtml } from '../html';
import { audienceParams, type Viewer } from '../learning/audience';
import { contentStatements, type SearchRow } from './statements';

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

/**
 * Searches the titles and text of the modules and lessons this viewer may study (the same
 * audience as the catalog). Three characters or more go to the FTS5 trigram index (any
 * Chinese substring matches); one or two characters, which trigrams cannot index, fall back
 * to a LIKE scan.
 */
export function search(db: Queryable, viewer: Viewer, rawQuery: string): SearchResult[] {
	const q = cleanQuery(rawQuery);
	if (!q) return [];
	const audience = audienceParams(db, viewer);
	const rows = Array.from(q).length >= 3 ? ftsSearch(db, q, audience) : likeSearch(db, q, audience);
	return rows.map((row) => ({
		kind: row.kind,
		title: row.title,
		moduleSlug: row.moduleSlug,
		moduleTitle: row.moduleTitle,
		lessonSlug: row.lessonSlug,
		snippetHtml: row.snip !== null ? markup(row.snip) : row.body.includes(q) ? excerpt(row.body, q) : excerpt(row.title, q)
	}));
}

type Audience = ReturnType<typeof audienceParams>;

function ftsSearch(db: Queryable, q: string, audience: Audience): SearchRow[] {
	// One quoted phrase: FTS5 operators (AND, NEAR, *, ^, column filters) are plain text inside it.
	const phrase = `"${q.replaceAll('"', '""')}"`;
	return contentStatements(db)
		.fullText.all({ phrase, open: OPEN, close: CLOSE, ...audience })
		.map((row) => ({ ...row, snip: row.snip && row.snip.includes(OPEN) ? row.snip : null }));
}

function likeSearch(db: Queryable, q: string, audience: Audience): SearchRow[] {
	return contentStatements(db).scan.all({ pattern: containsPattern(q), ...audience });
}
