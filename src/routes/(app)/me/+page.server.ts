import { getDb } from '$lib/server/db';
import { getOffice } from '$lib/server/org/offices';
import { getSchool } from '$lib/server/org/schools';
import { ROLE_LABELS } from '$lib/server/access';
import { refuse } from '$lib/server/forms';
import { setTextSize } from '$lib/server/users/text-size';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const user = locals.user!;
	const db = getDb();
	return {
		roleLabel: ROLE_LABELS[user.role],
		officeName: user.officeId ? (getOffice(db, user.officeId)?.name ?? null) : null,
		schoolName: user.schoolId ? (getSchool(db, user.schoolId)?.name ?? null) : null
	};
};

export const actions: Actions = {
	/** 大字模式: keeps the reading size; the layout applies it on every page from now on. */
	textSize: async ({ request, locals }) => {
		const form = await request.formData();
		if (!setTextSize(getDb(), locals.user!.id, form.get('textSize')))
			return refuse(400, { textSize: '请选择标准、大字或特大字。' });
		return { textSizeSaved: true };
	}
};
