import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { actorOf } from '$lib/server/audit';
import { createToken, listTokens, revokeToken } from '$lib/server/national/tokens';
import { formFields } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ tokens: listTokens(getDb()) });

export const actions: Actions = {
	create: async (event) => {
		const values = formFields(await event.request.formData());
		const result = createToken(getDb(), actorOf(event), values);
		if (!result.ok) return refuse(400, result.errors, { name: values.name ?? '' });
		// The token's text exists only in this answer: the page shows it once.
		return { created: { name: result.name, token: result.token } };
	},
	revoke: async (event) => {
		const form = await event.request.formData();
		const result = revokeToken(getDb(), actorOf(event), String(form.get('tokenId') ?? ''));
		if (!result.ok) return refuse(400, result.message);
		return { notice: `已吊销令牌“${result.name}”，用它读取数据的程序将被拒绝` };
	}
};
