import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { pageParam } from '$lib/server/paging';
import { confirmImport, importPreview, IMPORT_NOT_FOUND, PREVIEW_PAGE_SIZE } from '$lib/server/question-bank';
import { draftOf } from '../../../../author.server';
import { draftSummary } from '../../question.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const draft = draftOf(event);
	const { searchParams } = event.url;
	const preview = importPreview(getDb(), event.locals.user!, draft.id, event.params.token, {
		show: searchParams.get('show') ?? '',
		page: pageParam(searchParams)
	});
	if (!preview) error(404, { message: IMPORT_NOT_FOUND });
	return { draft: draftSummary(draft), preview, pageSize: PREVIEW_PAGE_SIZE };
};

export const actions: Actions = {
	/** 导入 N 道题目: `count` is the N the author saw; a different one (the preview changed) is refused. */
	default: async (event) => {
		const draft = draftOf(event);
		const raw = String((await event.request.formData()).get('count') ?? '').trim();
		const count = /^\d{1,5}$/.test(raw) ? Number(raw) : -1;
		const result = confirmImport(getDb(), actorOf(event), draft.id, event.params.token, count);
		if (!result.ok) return refuse(409, result.errors);
		redirect(303, `/author/${draft.id}/questions?imported=${result.imported}`);
	}
};
