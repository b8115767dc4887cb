import { error } from '@sveltejs/kit';
import { PART_NOT_FOUND } from '$lib/server/report';
import type { PageServerLoad } from './$types';

/**
 * /learn/report/<anything but 0–16>: the reader's own 404 (the `[part=part]` matcher refuses it;
 * without this route it would reach the lesson page as module "report" and say no lesson was found).
 */
export const load: PageServerLoad = () => error(404, { message: PART_NOT_FOUND });
