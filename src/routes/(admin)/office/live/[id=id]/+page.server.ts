import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { advance, hostedLive, liveState } from '$lib/server/live';
import type { Actions, PageServerLoad } from './$types';

function hosted(locals: App.Locals, id: string) {
	const live = hostedLive(getDb(), locals.user!, Number(id));
	if (!live) error(404, { message: '没有找到这场现场答题，或不在您的管理范围内' });
	return live;
}

export const load: PageServerLoad = ({ params, locals }) => {
	const live = hosted(locals, params.id);
	return { state: liveState(getDb(), live.id, null)! };
};

function move(action: 'next' | 'reveal' | 'finish'): Actions[string] {
	return (event) => {
		const live = hosted(event.locals, event.params.id);
		const advanced = advance(getDb(), actorOf(event), live.id, action);
		if (!advanced.ok) return refuse(400, advanced.message);
		return { ok: true };
	};
}

export const actions: Actions = { next: move('next'), reveal: move('reveal'), finish: move('finish') };
