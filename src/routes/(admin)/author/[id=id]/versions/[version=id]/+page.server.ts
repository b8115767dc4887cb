import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { listVersions, renderDoc, restoreVersion, versionDoc } from '$lib/server/authoring';
import { draftOf } from '../../../author.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const draft = draftOf(event);
	const version = Number(event.params.version);
	const doc = versionDoc(getDb(), draft, version);
	if (!doc) error(404, { message: '没有找到这个版本，或不在您的管理范围内' });
	const info = listVersions(getDb(), draft).find((v) => v.version === version);
	return {
		draft: { id: draft.id, title: draft.doc.title, version: draft.version, status: draft.status },
		version,
		info: info ?? null,
		preview: renderDoc(doc)
	};
};

export const actions: Actions = {
	restore: async (event) => {
		const draft = draftOf(event);
		const version = Number(event.params.version);
		const result = restoreVersion(getDb(), actorOf(event), draft.id, version);
		if (!result.ok) return refuse(400, result.errors);
		redirect(303, `/author/${draft.id}?restored=${version}`);
	}
};
