import { describe, expect, it } from 'vitest';
import { withParams } from '../../src/lib/links';

describe('links that keep the other filters', () => {
	const url = new URL('http://localhost/office/dashboard?office=3&period=week&q=%E5%BC%A0&page=4');

	it('changes and removes parameters, keeping the rest and their encoding', () => {
		expect(withParams(url, { sort: 'points', dir: 'desc', page: null })).toBe(
			'/office/dashboard?office=3&period=week&q=%E5%BC%A0&sort=points&dir=desc'
		);
		expect(withParams(url, { page: 5 })).toBe('/office/dashboard?office=3&period=week&q=%E5%BC%A0&page=5');
		expect(new URL(withParams(url, { q: 'a&b=c' }), url).searchParams.get('q')).toBe('a&b=c');
	});

	it('drops the question mark when nothing is left', () => {
		expect(withParams(new URL('http://localhost/rank?page=2'), { page: null })).toBe('/rank');
	});
});
