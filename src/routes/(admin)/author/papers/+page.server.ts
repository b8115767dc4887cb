import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { archivePaper, listPapers } from '$lib/server/exams';
import { ownerOf } from '../author.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => ({
	papers: listPapers(getDb(), ownerOf(locals)),
	created: url.searchParams.has('created')
});

export const actions: Actions = {
	archive: async (event) => {
		const raw = (await event.request.formData()).get('paperId');
		const id = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
		if (!id) return refuse(404, '没有找到这份试卷，或不在您的管理范围内');
		const result = archivePaper(getDb(), actorOf(event), ownerOf(event.locals), id);
		if (!result.ok) return refuse(400, result.errors);
		return { notice: '试卷已删除。已用这份试卷的考试不受影响。' };
	}
};
