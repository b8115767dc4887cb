/**
 * A part of the report in the 原文 reader (`[part=part]`): 0 开篇, 1–15, 16 结束语, written without
 * leading zeros. Anything else goes to the reader's own 404 (learn/report/[...rest]).
 */
export function match(param: string): boolean {
	return /^(?:[0-9]|1[0-6])$/.test(param);
}
