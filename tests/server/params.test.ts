import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { describe, expect, it } from 'vitest';
import { match as isId } from '../../src/params/id';
import { match as isFormat } from '../../src/params/format';
import { match as isToken } from '../../src/params/token';
import { match as isKey } from '../../src/params/key';

describe('route param matchers', () => {
	it('an id is a positive integer of at most 16 digits, nothing else', () => {
		for (const ok of ['1', '42', '9007199254740991', '1234567890123456']) expect(isId(ok), ok).toBe(true);
		for (const bad of [
			'',
			'0',
			'007',
			'-1',
			'1.5',
			'1e3',
			'abc',
			' 1',
			'1 ',
			'0x10',
			'12345678901234567',
			'١٢'
		]) {
			expect(isId(bad), bad).toBe(false);
		}
	});

	it('an export format is xlsx or csv', () => {
		expect(['xlsx', 'csv'].filter(isFormat)).toEqual(['xlsx', 'csv']);
		expect(['pdf', 'XLSX', 'csv ', ''].filter(isFormat)).toEqual([]);
	});

	it('a token is 24 characters of lower-case base32, as a staged import’s id is written', () => {
		const id = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(15)));
		expect(isToken(id), id).toBe(true);
		for (const bad of [
			'template.xls',
			'not-a-real-import',
			id.toUpperCase(),
			id.slice(1),
			`${id}a`,
			`${id.slice(1)}1`
		]) {
			expect(isToken(bad), bad).toBe(false);
		}
	});

	it('a lesson or question key is l or q and up to six digits, as a draft gives them', () => {
		expect(['l1', 'q7', 'l0', 'q123456'].filter(isKey)).toEqual(['l1', 'q7', 'l0', 'q123456']);
		for (const bad of ['', 'l', 'q', 'L1', 'x1', 'l-1', 'l1a', 'q1234567', 'l 1', 'lq1', '1', 'l١'])
			expect(isKey(bad), bad).toBe(false);
	});
});
