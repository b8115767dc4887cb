/** The file format of an export or template in its path (`export.[format=format]`). */
export function match(param: string): param is 'xlsx' | 'csv' {
	return param === 'xlsx' || param === 'csv';
}
