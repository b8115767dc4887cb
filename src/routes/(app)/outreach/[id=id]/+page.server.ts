import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { deleteDraft, getTalk, TALK_NOT_FOUND } from '$lib/server/outreach';
import type { Actions, PageServerLoad } from './$types';

const FLASH: Record<string, string> = {
	saved: '草稿已保存，只有您能看到。',
	submitted: '已提交，本单位都能看到这场宣讲。',
	corrected: '更正已保存，并记入操作日志。'
};

export const load: PageServerLoad = ({ params, locals, url }) => {
	const talk = getTalk(getDb(), locals.user!, Number(params.id));
	// Another office's talk, or someone else's draft, looks exactly like a missing one.
	if (!talk) error(404, { message: TALK_NOT_FOUND });
	const flash = Object.keys(FLASH).find((key) => url.searchParams.has(key));
	return { talk, flash: flash ? FLASH[flash] : null };
};

export const actions: Actions = {
	delete: (event) => {
		const deleted = deleteDraft(getDb(), event.locals.user!, Number(event.params.id));
		if (!deleted) return refuse(400, '只能删除您自己的草稿；已提交的宣讲记录不能删除');
		redirect(303, '/outreach?deleted=1');
	}
};
