import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { getModule } from '$lib/server/learning/catalog';
import { bankSize, getQuizSettings, saveQuizSettings } from '$lib/server/quiz/settings';
import { formFields } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

function moduleOf(slug: string) {
	const mod = getModule(getDb(), slug);
	if (!mod) error(404, { message: '没有找到这个模块，或它已下线' });
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
