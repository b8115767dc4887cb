import { getDb } from '$lib/server/db';
import { listNotifications, markAllRead } from '$lib/server/notifications';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	// Listing marks nothing read: opening one notice (notifications/[id]) or the button does.
	const list = listNotifications(getDb(), locals.user!.id).map((n) => ({
		id: n.id,
		title: n.title,
		body: n.body,
		href: n.href,
		createdAt: n.createdAt,
		unread: n.readAt === null
	}));
	return { notifications: list };
};

export const actions: Actions = {
	readAll: ({ locals }) => {
		markAllRead(getDb(), locals.user!.id);
		return { notice: '已全部标为已读' };
	}
};
