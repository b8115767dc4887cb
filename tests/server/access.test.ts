import { describe, expect, it } from 'vitest';
import { decideAccess, ROLES, safeRedirectTarget, type Role } from '../../src/lib/server/access';

const as = (role: Role, mustChangePassword = false) => ({ role, mustChangePassword });

describe('decideAccess', () => {
	it('sends anonymous visitors to login everywhere except public pages', () => {
		expect(decideAccess('/', null)).toEqual({ kind: 'login' });
		expect(decideAccess('/admin/users', null)).toEqual({ kind: 'login' });
		expect(decideAccess('/login', null)).toEqual({ kind: 'allow' });
		expect(decideAccess('/healthz', null)).toEqual({ kind: 'allow' });
	});

	it('lets each role into exactly its own admin areas', () => {
		const expected: Record<Role, string[]> = {
			cadre: [],
			office_admin: ['/office'],
			school_admin: ['/school'],
			sysadmin: ['/admin', '/office', '/school']
		};
		for (const role of ROLES) {
			for (const area of ['/admin', '/office', '/school']) {
				const decision = decideAccess(`${area}/anything`, as(role));
				expect(decision.kind, `${role} on ${area}`).toBe(
					expected[role].includes(area) ? 'allow' : 'forbidden'
				);
			}
			expect(decideAccess('/learn', as(role)).kind).toBe('allow');
		}
	});

	it('does not confuse a prefix with a different path', () => {
		expect(decideAccess('/administrator', as('cadre')).kind).toBe('allow');
		expect(decideAccess('/offices', as('cadre')).kind).toBe('allow');
	});

	it('holds a user with a temporary password on the change-password page', () => {
		expect(decideAccess('/', as('cadre', true))).toEqual({ kind: 'change-password' });
		expect(decideAccess('/office/members', as('office_admin', true))).toEqual({ kind: 'change-password' });
		expect(decideAccess('/account/password', as('cadre', true))).toEqual({ kind: 'allow' });
		expect(decideAccess('/logout', as('cadre', true))).toEqual({ kind: 'allow' });
	});
});

describe('safeRedirectTarget', () => {
	it('follows same-site paths, with their query and fragment', () => {
		expect(safeRedirectTarget('/office/members?page=2')).toBe('/office/members?page=2');
		expect(safeRedirectTarget('/me#hours')).toBe('/me#hours');
		expect(safeRedirectTarget('/%2F%2Fevil')).toBe('/%2F%2Fevil');
		expect(safeRedirectTarget('/search?q=%E5%AD%A6%E4%B9%A0')).toBe('/search?q=%E5%AD%A6%E4%B9%A0');
		// Resolved and percent-encoded: only ASCII reaches the Location header.
		expect(safeRedirectTarget('/search?q=学习')).toBe('/search?q=%E5%AD%A6%E4%B9%A0');
		expect(safeRedirectTarget('/learn/../me')).toBe('/me');
	});

	// What `url.searchParams.get('redirectTo')` hands over (already percent-decoded once).
	const NASTY = [
		['another origin', 'https://evil.example'],
		['scheme-relative', '//evil.example'],
		['backslash', '/\\evil.example'],
		['two backslashes', '\\\\evil.example'],
		['tab between slashes (/%09/…)', '/\t/127.0.0.1:9/phish'],
		['leading tab', '\t//evil.example'],
		['newline between slashes', '/\n/evil.example'],
		['carriage return', '/\r/evil.example'],
		['header injection', '/me\r\nSet-Cookie: session=x'],
		['NUL', '/me\u0000'],
		['C1 control', '/me\u0085'],
		['DEL', '/me\u007f'],
		['line separator U+2028', '/me\u2028x'],
		['paragraph separator U+2029', '/\u2029/evil.example'],
		['no-break space', '/\u00a0/evil.example'],
		['dot segments back to //', '/a/..//evil.example'],
		['dot segment then //', '/.//evil.example'],
		['encoded dot segments', '/%2e%2e//evil.example'],
		['javascript:', 'javascript:alert(1)'],
		['data:', 'data:text/html,<script>alert(1)</script>'],
		['relative without slash', 'evil.example'],
		['absolute URL of the same fake base', 'http://x.invalid/me'],
		['empty', ''],
		['far too long', '/' + 'a'.repeat(5000)]
	] as const;

	it.each(NASTY)('refuses %s', (_, target) => {
		expect(safeRedirectTarget(target)).toBe('/');
	});

	it('never returns a target a browser would resolve to another origin or a header could not carry', () => {
		for (const [, target] of NASTY) {
			const out = safeRedirectTarget(target);
			expect(new URL(out, 'https://app.example').origin).toBe('https://app.example');
			expect(out).toMatch(/^\/[\x21-\x7e]*$|^\/$/);
		}
		expect(safeRedirectTarget(null)).toBe('/');
		expect(safeRedirectTarget(undefined)).toBe('/');
	});
});
