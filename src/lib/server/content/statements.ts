// Search over the study content, prepared once per connection (see db/statements.ts). Raw SQL:
// the FTS5 index (MATCH, snippet, rank) is beyond Drizzle's builder.
import { query, statements } from '../db/statements';
import { visibleModuleSql } from '../learning/audience';

/** A module or lesson found, as the search page lists it. */
export interface SearchRow {
	kind: 'module' | 'lesson';
	title: string;
	body: string;
	/** FTS5's snippet, the match between `open` and `close`; null from the LIKE scan. */
	snip: string | null;
	moduleSlug: string;
	moduleTitle: string;
	lessonSlug: string | null;
}

type Row = {
	kind: 'module' | 'lesson';
	title: string;
	body: string;
	snip: string | null;
	module_slug: string;
	module_title: string;
	lesson_slug: string | null;
};
const searchRow = (r: Row): SearchRow => ({
	kind: r.kind,
	title: r.title,
	body: r.body,
	snip: r.snip,
	moduleSlug: r.module_slug,
	moduleTitle: r.module_title,
	lessonSlug: r.lesson_slug
});

const LIMIT = 30;

export const contentStatements = statements((q) => ({
	/**
	 * { phrase, open, close, offices, userId }: the trigram index, modules first, best match first;
	 * only the modules (and their live lessons) the viewer may study (learning/audience.ts).
	 */
	fullText: query(
		q,
		`SELECT s.kind, s.title, s.body, snippet(search_index, 3, @open, @close, '…', 32) AS snip,
			m.slug AS module_slug, m.title AS module_title, l.slug AS lesson_slug
		FROM search_index s
		LEFT JOIN lessons l ON s.kind = 'lesson' AND l.id = s.ref_id
		JOIN modules m ON m.id = CASE s.kind WHEN 'lesson' THEN l.module_id ELSE s.ref_id END
		WHERE search_index MATCH @phrase
			AND (s.kind = 'module' OR l.archived_at IS NULL)
			AND ${visibleModuleSql('m')}
		ORDER BY s.kind = 'lesson', rank
		LIMIT ${LIMIT}`,
		searchRow
	),
	/** { pattern, offices, userId } (a LIKE pattern, `\` escaping): the viewer's modules, then lessons, in course order. */
	scan: query(
		q,
		`SELECT kind, title, body, snip, module_slug, module_title, lesson_slug FROM (
			SELECT 'module' AS kind, m.title AS title, m.summary AS body, NULL AS snip,
				m.slug AS module_slug, m.title AS module_title, NULL AS lesson_slug, m.sort_order AS o1, 0 AS o2
			FROM modules m
			WHERE ${visibleModuleSql('m')} AND (m.title LIKE @pattern ESCAPE '\\' OR m.summary LIKE @pattern ESCAPE '\\')
			UNION ALL
			SELECT 'lesson', l.title, l.plain_text, NULL, m.slug, m.title, l.slug, m.sort_order, l.sort_order
			FROM lessons l JOIN modules m ON m.id = l.module_id
			WHERE l.archived_at IS NULL AND ${visibleModuleSql('m')}
				AND (l.title LIKE @pattern ESCAPE '\\' OR l.plain_text LIKE @pattern ESCAPE '\\')
		)
		ORDER BY kind = 'lesson', o1, o2
		LIMIT ${LIMIT}`,
		searchRow
	)
}));
