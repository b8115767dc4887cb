import { createHash } from 'node:crypto';
import errorPage from '../../error.html?raw';

/**
 * Security headers for every response the app's handle hook returns.
 *
 * Pages get their Content-Security-Policy from SvelteKit (`kit.csp` in svelte.config.js),
 * which adds a nonce for its own inline start-up script. Responses SvelteKit gives no policy
 * (exports, the live quiz's event stream, JSON data, src/error.html) get the closed policy
 * below: they load nothing but src/error.html's own style sheet, and nobody may frame them.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	// frame-ancestors 'none' for browsers that predate it.
	'x-frame-options': 'DENY'
};

const errorPageStyle = /<style>([\s\S]*?)<\/style>/.exec(errorPage)?.[1] ?? '';
const errorPageStyleHash = createHash('sha256').update(errorPageStyle).digest('base64');

export const CLOSED_POLICY = `default-src 'none'; style-src 'sha256-${errorPageStyleHash}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;

/** The response with the security headers set (a copy when its headers are read-only). */
export function withSecurityHeaders(response: Response): Response {
	try {
		setSecurityHeaders(response.headers);
		return response;
	} catch {
		// Headers of a Response.redirect() or fetch() response cannot be changed.
		const copy = new Response(response.body, response);
		setSecurityHeaders(copy.headers);
		return copy;
	}
}

function setSecurityHeaders(headers: Headers): void {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
	if (!headers.has('content-security-policy')) headers.set('content-security-policy', CLOSED_POLICY);
}
