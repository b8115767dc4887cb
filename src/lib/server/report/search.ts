import { loadReport } from './text';

/**
 * Search within the report's 原文 (a few hundred paragraphs, held in memory): every paragraph that
 * contains all the words of the query (split at spaces), in reading order, with an excerpt around
 * the first match cut into pieces so the page can mark the words without rendering HTML.
 */

export const REPORT_SEARCH_PAGE = 20;
/** Longest query taken (longer ones are cut): a search is a phrase, not a paragraph. */
export const REPORT_QUERY_MAX = 40;
/** Characters shown either side of the first match. */
const CONTEXT = 60;

export interface Piece {
	text: string;
	mark: boolean;
}

export interface ReportHit {
	id: string;
	part: number;
	citation: string;
	href: string;
	pieces: Piece[];
}

export interface ReportSearch {
	query: string;
	terms: string[];
	total: number;
	page: number;
	pages: number;
	hits: ReportHit[];
}

/** The words of a query: trimmed, at most REPORT_QUERY_MAX characters, split at spaces, no repeats. */
export function queryTerms(query: string): string[] {
	const words = query
		.normalize('NFKC')
		.slice(0, REPORT_QUERY_MAX)
		.split(/[\s\u3000]+/)
		.filter(Boolean);
	return [...new Set(words)];
}

/** Where the terms occur in the text, as non-overlapping [start, end) ranges in order. */
function ranges(text: string, terms: string[]): [number, number][] {
	const lower = text.toLowerCase();
	const found: [number, number][] = [];
	for (const term of terms) {
		const t = term.toLowerCase();
		for (let at = lower.indexOf(t); at >= 0; at = lower.indexOf(t, at + t.length))
			found.push([at, at + t.length]);
	}
	found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
	const merged: [number, number][] = [];
	for (const r of found) {
		const last = merged.at(-1);
		if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
		else merged.push([r[0], r[1]]);
	}
	return merged;
}

/** The text between `from` and `to` cut into marked and plain pieces. */
export function markPieces(text: string, terms: string[], from = 0, to = text.length): Piece[] {
	const pieces: Piece[] = [];
	let at = from;
	for (const [start, end] of ranges(text, terms)) {
		if (end <= from || start >= to) continue;
		const s = Math.max(start, from);
		const e = Math.min(end, to);
		if (s > at) pieces.push({ text: text.slice(at, s), mark: false });
		pieces.push({ text: text.slice(s, e), mark: true });
		at = e;
	}
	if (at < to) pieces.push({ text: text.slice(at, to), mark: false });
	return pieces;
}

export function searchReport(query: string, page = 1): ReportSearch {
	const terms = queryTerms(query);
	const empty = { query: terms.join(' '), terms, total: 0, page: 1, pages: 0, hits: [] };
	if (!terms.length) return empty;
	const lowered = terms.map((t) => t.toLowerCase());
	const matching = loadReport()
		.parts.flatMap((p) => p.paragraphs)
		.filter((para) => {
			const text = para.text.toLowerCase();
			return lowered.every((t) => text.includes(t));
		});
	const pages = Math.ceil(matching.length / REPORT_SEARCH_PAGE);
	const current = Math.min(Math.max(1, Math.floor(page) || 1), Math.max(1, pages));
	const hits = matching
		.slice((current - 1) * REPORT_SEARCH_PAGE, current * REPORT_SEARCH_PAGE)
		.map((para) => {
			const first = ranges(para.text, terms)[0]!;
			const from = Math.max(0, first[0] - CONTEXT);
			const to = Math.min(para.text.length, first[1] + CONTEXT * 2);
			const pieces = markPieces(para.text, terms, from, to);
			if (from > 0) pieces.unshift({ text: '……', mark: false });
			if (to < para.text.length) pieces.push({ text: '……', mark: false });
			return {
				id: para.id,
				part: para.part,
				citation: para.citation,
				href: `/learn/report/${para.part}?p=${para.id}#${para.id}`,
				pieces
			};
		});
	return { ...empty, total: matching.length, page: current, pages, hits };
}
