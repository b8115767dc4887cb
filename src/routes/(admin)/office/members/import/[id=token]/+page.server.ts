import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { confirmImport, getImportPreview } from '$lib/server/users/import';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => {
	const preview = getImportPreview(getDb(), locals.user!, params.id);
	return { preview };
};

export const actions: Actions = {
	default: async (event) => {
		const result = await confirmImport(getDb(), actorOf(event), event.params.id);
		if (result.ok) return { created: result.created };
		if (result.reason === 'missing') error(404, { message: '没有找到这份导入记录，或它已导入完成' });
		return refuse(409, '文件中仍有错误，未写入任何成员，请修改后重新上传');
	}
};
