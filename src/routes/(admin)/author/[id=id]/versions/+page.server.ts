import { getDb } from '$lib/server/db';
import { listVersions } from '$lib/server/authoring';
import { draftOf } from '../../author.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const draft = draftOf(event);
	return {
		draft: { id: draft.id, title: draft.doc.title, version: draft.version, status: draft.status },
		versions: listVersions(getDb(), draft)
	};
};
