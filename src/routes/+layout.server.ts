import { getDb } from '$lib/server/db';
import { dueCount } from '$lib/server/quiz/wrongbook';
import { unreadCount } from '$lib/server/notifications';
import { textSizeOf } from '$lib/server/users/text-size';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	// Only what the shell needs; locals.user never holds the password hash.
	const user = locals.user;
	return {
		user: user && { id: user.id, name: user.name, username: user.username, role: user.role },
		// The badge on the 答题 tab: wrong-book questions due for review.
		reviewDue: user ? dueCount(getDb(), user.id) : 0,
		// The count on the bell in the top bar: notifications not yet read.
		unreadNotifications: user ? unreadCount(getDb(), user.id) : 0,
		// 大字模式: the reading size the user chose, on every page.
		textSize: user ? textSizeOf(getDb(), user.id) : ('normal' as const)
	};
};
