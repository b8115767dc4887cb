/**
 * The format of a question bank export in its path (`export.[kind=bankformat]`): the Excel
 * template (xlsx, csv), Moodle GIFT or Aiken. Anything else is 页面不存在.
 */
export function match(param: string): param is 'xlsx' | 'csv' | 'gift' | 'aiken' {
	return param === 'xlsx' || param === 'csv' || param === 'gift' || param === 'aiken';
}
