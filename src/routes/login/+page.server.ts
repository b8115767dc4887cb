import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { login } from '$lib/server/auth/login';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { safeRedirectTarget } from '$lib/server/access';
import { tooManyAttempts } from '$lib/server/rate-limit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo')));
	return {};
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const username = String(form.get('username') ?? '').trim();
		const password = String(form.get('password') ?? '');
		const errors: Record<string, string> = {};
		if (!username) errors.username = '请输入登录名';
		if (!password) errors.password = '请输入密码';
		if (Object.keys(errors).length) return fail(400, { username, errors });

		const result = await login(getDb(), username, password, { address: getClientAddress() });
		if (!result.ok) {
			if (result.reason === 'throttled') return fail(429, { username, message: tooManyAttempts(result.retryAfterMs) });
			return fail(400, { username, message: '登录名或密码不正确' });
		}
		setSessionCookie(cookies, url, result.token, result.session.expiresAt);
		if (result.mustChangePassword) redirect(303, '/account/password?required=1');
		redirect(303, safeRedirectTarget(url.searchParams.get('redirectTo')));
	}
};
