import { describe, expect, it } from 'vitest';
import { MAX_PAGE, pageParam } from '../../src/lib/server/paging';

const page = (value: string | null) => pageParam(new URLSearchParams(value === null ? '' : { page: value }));

describe('the page query parameter', () => {
	it('is a whole number from 1; anything else is page 1, and huge numbers are capped to a safe offset', () => {
		expect(page('3')).toBe(3);
		for (const bad of [null, '', 'abc', '0', '-1', '1.5', 'NaN', 'Infinity', '1e400', '0x10x'])
			expect(page(bad), String(bad)).toBe(1);
		expect(page('99999999999999999999')).toBe(1);
		expect(page(String(MAX_PAGE + 1))).toBe(MAX_PAGE);
	});
});
