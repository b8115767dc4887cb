import { describe, expect, it } from 'vitest';
import { decideAccess, safeRedirectTarget } from '../../src/lib/server/access';
import { ROLES, type Role } from '../../src/lib/server/db/schema';

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
				expect(decision.kind, `${role} on ${area}`).toBe(expected[role].includes(area) ? 'allow' : 'forbidden');
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
	it('follows only same-site paths', () => {
		expect(safeRedirectTarget('/office/members?page=2')).toBe('/office/members?page=2');
		expect(safeRedirectTarget('https://evil.example')).toBe('/');
		expect(safeRedirectTarget('//evil.example')).toBe('/');
		expect(safeRedirectTarget('/\\evil.example')).toBe('/');
		expect(safeRedirectTarget(null)).toBe('/');
	});
});
