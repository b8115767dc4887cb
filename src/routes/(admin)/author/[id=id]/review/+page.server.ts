import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { formFields } from '$lib/server/validation';
import { approveDraft, draftDiff, renderDoc, returnDraft } from '$lib/server/authoring';
import { draftOf } from '../../author.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const draft = draftOf(event);
	return {
		draft: {
			id: draft.id,
			title: draft.doc.title,
			status: draft.status,
			version: draft.version,
			submittedByName: draft.submittedByName,
			submittedAt: draft.submittedAt,
			singleAdmin: draft.singleAdmin
		},
		// The submitter may review only as the owner's single admin (self-approval); the page says so.
		viewerIsSubmitter: draft.submittedById === event.locals.user!.id,
		preview: renderDoc(draft.doc),
		diff: draftDiff(getDb(), draft)
	};
};

export const actions: Actions = {
	approve: async (event) => {
		const draft = draftOf(event);
		const selfApprove = (await event.request.formData()).get('selfApprove') === 'on';
		const result = approveDraft(getDb(), actorOf(event), draft.id, selfApprove);
		if (!result.ok) return refuse(400, result.errors, { intent: 'approve', comment: '' });
		redirect(303, `/author/${draft.id}?published=${result.version}`);
	},
	return: async (event) => {
		const draft = draftOf(event);
		const comment = formFields(await event.request.formData()).comment ?? '';
		if (!comment)
			return refuse(400, { comment: '请填写退回意见，告诉作者需要修改什么' }, { intent: 'return', comment });
		const result = returnDraft(getDb(), actorOf(event), draft.id, comment);
		if (!result.ok) return refuse(400, result.errors, { intent: 'return', comment });
		redirect(303, '/author?returned=1');
	}
};
