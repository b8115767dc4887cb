import { getDb } from '$lib/server/db';
import { listAuthored } from '$lib/server/authoring';
import { ownerOf } from './author.server';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	const owner = ownerOf(locals);
	return {
		// The count beside 待审核 in the section's navigation.
		pendingReviews: listAuthored(getDb(), owner).filter((row) => row.status === 'submitted').length,
		authorKind: owner.kind
	};
};
