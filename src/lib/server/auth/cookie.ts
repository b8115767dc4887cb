import { dev } from '$app/environment';
import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE } from './session';

// Secure in production; COOKIE_SECURE=false is for a plain-HTTP intranet deployment only.
function secure(): boolean {
	return !dev && process.env.COOKIE_SECURE !== 'false';
}

export function setSessionCookie(cookies: Cookies, token: string, expiresAt: Date): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: secure(),
		expires: expiresAt
	});
}

export function deleteSessionCookie(cookies: Cookies): void {
	cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: secure() });
}
