/**
 * A random token in a path (`[id=token]`, a staged import's id): 24 characters of lower-case
 * base32, as `encodeBase32LowerCaseNoPadding` writes 15 random bytes. Anything else, such as
 * `template.xls` beside `template.[format=format]`, is 页面不存在.
 */
export function match(param: string): boolean {
	return /^[a-z2-7]{24}$/.test(param);
}
