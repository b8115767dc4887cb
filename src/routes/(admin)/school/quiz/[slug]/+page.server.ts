import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import {
	bankSize,
	getQuizSettings,
	saveQuizSettings,
	schoolQuizModuleBySlug
} from '$lib/server/quiz/settings';
import { formFields } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

/** Built-in modules only: an authored module's quiz is set in its draft (内容编写). */
function moduleOf(slug: string) {
	const mod = schoolQuizModuleBySlug(getDb(), slug);
	if (!mod) error(404, { message: '没有找到这个模块，或不在您的管理范围内' });
	return mod;
}

export const load: PageServerLoad = ({ params }) => {
	const db = getDb();
	const mod = moduleOf(params.slug);
	return {
		module: { title: mod.title, slug: mod.slug },
		settings: getQuizSettings(db, mod.id)!,
		bank: bankSize(db, mod.id)
	};
};

export const actions: Actions = {
	default: async (event) => {
		const values = formFields(await event.request.formData());
		const result = saveQuizSettings(getDb(), actorOf(event), moduleOf(event.params.slug).id, values);
		if (!result.ok) return refuse(400, result.errors, values);
		return { notice: '已保存，新开始的答题按新设置进行' };
	}
};
