import type { ParamMatcher } from '@sveltejs/kit';

/**
 * A row id in a path (`[id=id]`): a positive integer of at most 16 digits. Anything else
 * matches no route and is 页面不存在 before any page code runs, so pages can take
 * `Number(params.id)` as a real id.
 */
export const match: ParamMatcher = (param) => /^[1-9]\d{0,15}$/.test(param);
