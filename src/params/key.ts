/**
 * The stable key of a draft's lesson or question in a path (`[key=key]`): `l` or `q` and up to
 * six digits, as the draft's counters give them (`l3`, `q12`). Anything else is 页面不存在
 * before any page code runs.
 */
export function match(param: string): boolean {
	return /^[lq]\d{1,6}$/.test(param);
}
