import { describe, expect, it } from 'vitest';
import { CLOSED_POLICY, withSecurityHeaders } from '../../src/lib/server/security-headers';

describe('withSecurityHeaders', () => {
	it('keeps the policy SvelteKit gave a page and adds the other headers', () => {
		const page = new Response('<html></html>', {
			headers: { 'content-security-policy': "script-src 'self' 'nonce-abc'" }
		});
		const res = withSecurityHeaders(page);
		expect(res.headers.get('content-security-policy')).toBe("script-src 'self' 'nonce-abc'");
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		expect(res.headers.get('referrer-policy')).toBe('same-origin');
		expect(res.headers.get('x-frame-options')).toBe('DENY');
	});

	it('gives a response without a policy the closed one, even when its headers are read-only', async () => {
		const redirect = withSecurityHeaders(Response.redirect('http://localhost/login', 303));
		expect(redirect.status).toBe(303);
		expect(redirect.headers.get('location')).toBe('http://localhost/login');
		expect(redirect.headers.get('content-security-policy')).toBe(CLOSED_POLICY);
		const csv = withSecurityHeaders(new Response('a,b\n', { headers: { 'content-type': 'text/csv' } }));
		expect(await csv.text()).toBe('a,b\n');
		expect(csv.headers.get('x-frame-options')).toBe('DENY');
		expect(CLOSED_POLICY).toMatch(/^default-src 'none';.*frame-ancestors 'none'/);
	});
});
