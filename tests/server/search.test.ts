import { beforeAll, describe, expect, it } from 'vitest';
import { testDb } from '../helpers/db';
import { syncContent } from '../../src/lib/server/content/sync';
import { search } from '../../src/lib/server/content/search';
import type { Db } from '../../src/lib/server/db';

let db: Db;
beforeAll(() => {
	db = testDb();
	syncContent(db, 'content');
});

describe('search', () => {
	it('finds a three-character Chinese substring through the trigram index, with the match highlighted', () => {
		const results = search(db, '票决制');
		expect(results.length).toBeGreaterThan(0);
		expect(results.some((r) => r.kind === 'lesson' && r.moduleSlug === 'whole-process-democracy' && r.lessonSlug)).toBe(true);
		for (const r of results) expect(r.snippetHtml).toContain('<mark>票决制</mark>');
	});

	it('finds a substring in the middle of a word (no word segmentation needed)', () => {
		expect(search(db, '联络站').length).toBeGreaterThan(0);
	});

	it('falls back to a scan for one- and two-character queries', () => {
		const one = search(db, '廉');
		expect(one.length).toBeGreaterThan(0);
		expect(one.every((r) => r.snippetHtml.includes('<mark>廉</mark>') || r.title.includes('廉'))).toBe(true);
		const two = search(db, '教育');
		expect(two.some((r) => r.moduleSlug === 'education')).toBe(true);
	});

	it('returns nothing for text that is not there, and treats quotes, % and HTML as plain text', () => {
		expect(search(db, '量子计算机')).toEqual([]);
		expect(search(db, '"')).toEqual([]);
		// % is a literal character, not a wildcard: only the lesson that really contains one matches.
		const percent = search(db, '%');
		expect(percent.length).toBeLessThan(3);
		expect(percent.every((r) => r.snippetHtml.includes('<mark>%</mark>'))).toBe(true);
		expect(search(db, '<script>')).toEqual([]);
		expect(search(db, '   ')).toEqual([]);
	});
});
