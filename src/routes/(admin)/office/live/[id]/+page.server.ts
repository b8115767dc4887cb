import { error, fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { actorOf } from '$lib/server/audit';
import { advance, canHost, getLive, liveState } from '$lib/server/live';
import type { Actions, PageServerLoad } from './$types';

function hosted(locals: App.Locals, id: string) {
	const db = getDb();
	const live = getLive(db, Number(id));
	if (!live || !canHost(db, locals.user!, live)) error(404, { message: '没有这场现场答题' });
	return live;
}

export const load: PageServerLoad = ({ params, locals }) => {
	const live = hosted(locals, params.id);
	return { state: liveState(getDb(), live.id, null)! };
};

function move(action: 'next' | 'reveal' | 'finish'): Actions[string] {
	return (event) => {
		const live = hosted(event.locals, event.params.id);
		const r = advance(getDb(), actorOf(event), live.id, action);
		if (!r.ok) return fail(400, { message: r.message });
		return { ok: true };
	};
}

export const actions: Actions = { next: move('next'), reveal: move('reveal'), finish: move('finish') };
