import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { authoredDraft, copyableModules, copyModule, listAuthored } from '$lib/server/authoring';
import { ownerOf } from './author.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const db = getDb();
	const user = locals.user!;
	const owner = ownerOf(locals);
	const rows = listAuthored(db, owner);
	// 待审核: each draft awaiting review, with who submitted it (the reviewer must be someone else,
	// unless the owner has a single admin).
	const pending = rows
		.filter((row) => row.status === 'submitted')
		.map((row) => {
			const draft = authoredDraft(db, user, row.draftId);
			return {
				draftId: row.draftId,
				title: row.title,
				version: row.version,
				submittedByName: draft?.submittedByName ?? '',
				byViewer: draft?.submittedById === user.id,
				submittedAt: draft?.submittedAt ?? null,
				singleAdmin: draft?.singleAdmin ?? false
			};
		});
	return {
		rows,
		pending,
		copyable: copyableModules(db, owner),
		returned: url.searchParams.get('returned'),
		withdrawn: url.searchParams.get('withdrawn')
	};
};

export const actions: Actions = {
	copy: async (event) => {
		const raw = (await event.request.formData()).get('moduleId');
		const moduleId = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
		if (!moduleId) return refuse(400, { moduleId: '请选择要复制的模块' }, { moduleId: '' });
		const result = copyModule(getDb(), actorOf(event), moduleId);
		if (!result.ok) return refuse(400, result.errors, { moduleId: String(moduleId) });
		redirect(303, `/author/${result.id}?copied=1`);
	}
};
