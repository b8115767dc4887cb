import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { flattenTree, listOffices, memberCounts, officeTree, saveOffice } from '$lib/server/org/offices';
import { formFields } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	const db = getDb();
	const counts = memberCounts(db);
	const offices = flattenTree(officeTree(listOffices(db))).map((o) => ({
		id: o.id,
		name: o.name,
		code: o.code,
		depth: o.depth,
		sortOrder: o.sortOrder,
		members: counts.get(o.id) ?? 0
	}));
	return { offices };
};

export const actions: Actions = {
	default: async (event) => {
		const values = formFields(await event.request.formData());
		const result = saveOffice(getDb(), actorOf(event), values);
		if (!result.ok) return refuse(400, result.errors, values);
		return { notice: `已创建单位“${values.name}”` };
	}
};
