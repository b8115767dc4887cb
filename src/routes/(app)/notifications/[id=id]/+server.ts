import { error, redirect } from '@sveltejs/kit';
import { safeRedirectTarget } from '$lib/server/access';
import { getDb } from '$lib/server/db';
import { openNotification } from '$lib/server/notifications';
import type { RequestHandler } from './$types';

/**
 * Opening a notice (a plain link, so it works without JavaScript): marks it read, then
 * goes where it points, or back to the list when it points nowhere.
 */
export const GET: RequestHandler = ({ params, locals }) => {
	const opened = openNotification(getDb(), locals.user!.id, Number(params.id));
	if (!opened) error(404, { message: '没有找到这条通知，或您无权查看' });
	redirect(303, opened.href ? safeRedirectTarget(opened.href) : '/notifications');
};
