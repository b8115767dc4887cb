import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import type { FormErrors } from '$lib/forms.svelte';
import { login } from '$lib/server/auth/login';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { safeRedirectTarget } from '$lib/server/access';
import { tooManyAttempts } from '$lib/server/rate-limit';
import { clientAddress } from '$lib/server/client-address';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo')));
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const { request, cookies, url } = event;
		const form = await request.formData();
		const username = String(form.get('username') ?? '').trim();
		const password = String(form.get('password') ?? '');
		const errors: FormErrors = {};
		if (!username) errors.username = '请输入登录名';
		if (!password) errors.password = '请输入密码';
		// The password is never sent back.
		if (Object.keys(errors).length) return refuse(400, errors, { username });

		const result = await login(getDb(), username, password, { address: clientAddress(event) ?? undefined });
		if (!result.ok) {
			if (result.reason === 'throttled')
				return refuse(429, tooManyAttempts(result.retryAfterMs), { username });
			return refuse(400, '登录名或密码不正确', { username });
		}
		setSessionCookie(cookies, url, result.token, result.session.expiresAt);
		if (result.mustChangePassword) redirect(303, '/account/password?required=1');
		redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo')));
	}
};
