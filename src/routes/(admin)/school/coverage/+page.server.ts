import { getDb } from '$lib/server/db';
import { partMaterial, THIN_MATERIAL_BELOW } from '$lib/server/report';
import type { PageServerLoad } from './$types';

/** 教材覆盖: how much of each part of the report the live lessons teach, for planning new material. */
export const load: PageServerLoad = ({ locals }) => ({
	parts: partMaterial(getDb()),
	thinBelow: THIN_MATERIAL_BELOW,
	canAuthor: locals.user!.role === 'school_admin'
});
