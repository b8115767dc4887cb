import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE } from './session';

/**
 * The cookie is Secure exactly when the request came over HTTPS: an office intranet serves
 * plain HTTP by IP, where a browser drops a Secure cookie and the user is bounced back to the
 * login page without a word. COOKIE_SECURE=true|false overrides it (e.g. a proxy that
 * terminates TLS without passing the scheme on).
 */
export function isSecureRequest(url: URL, setting = process.env.COOKIE_SECURE): boolean {
	if (setting === 'true') return true;
	if (setting === 'false') return false;
	return url.protocol === 'https:';
}

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: Date): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: isSecureRequest(url),
		expires: expiresAt
	});
}

export function deleteSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(SESSION_COOKIE, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: isSecureRequest(url)
	});
}
