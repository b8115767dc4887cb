import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { TARGET_MISSING, backPath, listBookmarks, targetFrom, toggleBookmark } from '$lib/server/notes';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({
	bookmarks: listBookmarks(getDb(), locals.user!)
});

const field = (form: FormData, name: string) => {
	const value = form.get(name);
	return typeof value === 'string' ? value : null;
};

export const actions: Actions = {
	/**
	 * 收藏 on or off (BookmarkToggle, and 取消收藏 on this page): `saved` is what the button showed,
	 * so sending the same form twice changes nothing. Then back to the page it was sent from.
	 */
	toggle: async ({ request, locals }) => {
		const form = await request.formData();
		const target = targetFrom({ lessonId: field(form, 'lessonId'), paragraphId: field(form, 'paragraphId') });
		if (!target) return refuse(400, TARGET_MISSING);
		const shown = field(form, 'saved');
		const saved = toggleBookmark(
			getDb(),
			locals.user!,
			target,
			shown === '1' ? false : shown === '0' ? true : undefined
		);
		if (saved === null) return refuse(404, TARGET_MISSING);
		redirect(303, backPath(form.get('back'), '/me/bookmarks'));
	}
};
