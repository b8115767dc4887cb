/** Far beyond any list of the app; keeps `(page - 1) * pageSize` a small whole number for SQLite's OFFSET. */
export const MAX_PAGE = 10_000;

/**
 * The `page` query parameter as a page number. Anything that is not a whole number
 * from 1 (`abc`, `-1`, `1.5`, `1e400`, `99999999999999999999`) is page 1; SQLite refuses
 * a fractional or infinite OFFSET ("datatype mismatch"), which reached users as a 500.
 */
export function pageParam(params: URLSearchParams): number {
	const n = Number(params.get('page'));
	return Number.isSafeInteger(n) && n >= 1 ? Math.min(n, MAX_PAGE) : 1;
}
