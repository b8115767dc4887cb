import { beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../helpers/db';
import { syncContent } from '../../src/lib/server/content/sync';
import { cleanQuery, search } from '../../src/lib/server/content/search';
import type { Db } from '../../src/lib/server/db';

let db: Db;
/** Someone without an office or courses: the built-in modules (tests/server/audience.test.ts covers who sees what). */
const VIEWER = { id: 1, officeId: null };
beforeAll(() => {
	db = testDb();
	syncContent(db, 'content');
});

describe('search', () => {
	it('finds a three-character Chinese substring through the trigram index, with the match highlighted', () => {
		const results = search(db, VIEWER, '票决制');
		expect(results.length).toBeGreaterThan(0);
		expect(
			results.some((r) => r.kind === 'lesson' && r.moduleSlug === 'whole-process-democracy' && r.lessonSlug)
		).toBe(true);
		for (const r of results) expect(r.snippetHtml).toContain('<mark>票决制</mark>');
	});

	it('finds a substring in the middle of a word (no word segmentation needed)', () => {
		expect(search(db, VIEWER, '联络站').length).toBeGreaterThan(0);
	});

	it('falls back to a scan for one- and two-character queries', () => {
		const one = search(db, VIEWER, '廉');
		expect(one.length).toBeGreaterThan(0);
		expect(one.every((r) => r.snippetHtml.includes('<mark>廉</mark>') || r.title.includes('廉'))).toBe(true);
		const two = search(db, VIEWER, '教育');
		expect(two.some((r) => r.moduleSlug === 'education')).toBe(true);
	});

	it('returns nothing for text that is not there, and treats quotes, % and HTML as plain text', () => {
		expect(search(db, VIEWER, '量子计算机')).toEqual([]);
		expect(search(db, VIEWER, '"')).toEqual([]);
		// % is a literal character, not a wildcard: only the lesson that really contains one matches.
		const percent = search(db, VIEWER, '%');
		expect(percent.length).toBeLessThan(3);
		expect(percent.every((r) => r.snippetHtml.includes('<mark>%</mark>'))).toBe(true);
		expect(search(db, VIEWER, '<script>')).toEqual([]);
		expect(search(db, VIEWER, '   ')).toEqual([]);
	});

	it('never fails on control characters, quotes or FTS5 syntax: they are plain text', () => {
		const nul = search(db, VIEWER, '\u0000票决制');
		expect(nul.length).toBeGreaterThan(0);
		expect(nul).toEqual(search(db, VIEWER, '票决制'));
		expect(search(db, VIEWER, '\u0000abc')).toEqual([]);
		expect(search(db, VIEWER, '票\u0000决制')).toEqual([]);
		for (const q of [
			'"',
			'""',
			'"票决制',
			'票决制"',
			'"票"决"制"',
			'a"b',
			'*',
			'票决*',
			'票 NEAR 决',
			'NEAR(票 决)',
			'票 AND 决',
			'AND',
			'OR NOT',
			'^票决',
			'title:票决',
			'(票决',
			'\u0002票决\u0003',
			'\uD800票决',
			'\u2028票决制'
		]) {
			expect(() => search(db, VIEWER, q), JSON.stringify(q)).not.toThrow();
		}
		// Operators are not obeyed: "AND" finds only text that contains "AND".
		expect(search(db, VIEWER, '票决制 AND 人民')).toEqual([]);
		// Our own match marks cannot be smuggled in.
		for (const r of search(db, VIEWER, '\u0002票决制\u0003'))
			expect(r.snippetHtml).not.toMatch(/<mark>[^<]*<mark>/);
	});

	it('cleans a query to what could have been typed, cut by characters', () => {
		expect(cleanQuery('\u0000abc')).toBe('abc');
		expect(cleanQuery(' 票\t\n决\u0007制 ')).toBe('票 决 制');
		expect(cleanQuery('\uD800')).toBe('');
		expect(Array.from(cleanQuery('𠀀'.repeat(60)))).toHaveLength(50);
		expect(cleanQuery('𠀀'.repeat(60))).not.toMatch(/[\uD800-\uDBFF]$/);
	});
});
