export const ROLES = ['cadre', 'office_admin', 'school_admin', 'sysadmin'] as const;
export type Role = (typeof ROLES)[number];
/** The roles that make a user a member of their office: they study, and count on its board and dashboard. */
export const MEMBER_ROLES = ['cadre', 'office_admin'] as const satisfies readonly Role[];
export const isMemberRole = (role: string): role is (typeof MEMBER_ROLES)[number] =>
	(MEMBER_ROLES as readonly string[]).includes(role);

/**
 * The one place that decides who may open which part of the app. Every request
 * goes through `decideAccess` in the server hook; pages and actions inside an
 * area can rely on it and only check scope (which office) themselves.
 */
export interface AreaRule {
	prefix: string;
	roles: readonly Role[] | 'anyone' | 'signed-in';
}

export const AREA_RULES: readonly AreaRule[] = [
	{ prefix: '/login', roles: 'anyone' },
	{ prefix: '/healthz', roles: 'anyone' },
	{ prefix: '/verify', roles: 'anyone' },
	// Read-only endpoints for other systems (the national view): no session; each endpoint
	// demands its own `Authorization: Bearer` token (national/tokens.ts) and refuses with a 401.
	{ prefix: '/api', roles: 'anyone' },
	{ prefix: '/admin', roles: ['sysadmin'] },
	{ prefix: '/office', roles: ['office_admin', 'sysadmin'] },
	{ prefix: '/school', roles: ['school_admin', 'sysadmin'] },
	// 内容编写: party-school and office admins author their owner's modules and media.
	{ prefix: '/author', roles: ['school_admin', 'office_admin'] }
];

export const ROLE_LABELS: Record<Role, string> = {
	cadre: '学员',
	office_admin: '单位管理员',
	school_admin: '党校管理员',
	sysadmin: '系统管理员'
};

function matches(pathname: string, prefix: string): boolean {
	return pathname === prefix || pathname.startsWith(prefix + '/');
}

export function ruleFor(pathname: string): AreaRule['roles'] {
	return AREA_RULES.find((rule) => matches(pathname, rule.prefix))?.roles ?? 'signed-in';
}

export type AccessDecision =
	{ kind: 'allow' } | { kind: 'login' } | { kind: 'change-password' } | { kind: 'forbidden' };

// Pages a user with a temporary password may still reach.
const PASSWORD_CHANGE_PATHS = ['/account/password', '/logout'];

export function decideAccess(
	pathname: string,
	user: { role: Role; mustChangePassword: boolean } | null
): AccessDecision {
	const roles = ruleFor(pathname);
	if (roles === 'anyone') return { kind: 'allow' };
	if (!user) return { kind: 'login' };
	if (user.mustChangePassword && !PASSWORD_CHANGE_PATHS.some((p) => matches(pathname, p))) {
		return { kind: 'change-password' };
	}
	if (roles === 'signed-in' || roles.includes(user.role)) return { kind: 'allow' };
	return { kind: 'forbidden' };
}

const BASE = new URL('http://x.invalid');
// C0 and C1 controls, DEL and every Unicode space or line separator (U+2028/2029 too):
// browsers drop tab and newlines inside a URL (`/\t/evil` becomes `//evil`), and a
// response header cannot carry the others.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\s]/;
// Far longer than any path of the app; a huge header is refused by browsers and proxies.
const MAX_TARGET_LENGTH = 2000;

/**
 * Where to go after login, from a user-supplied `redirectTo`: only a path of this site.
 * The target is resolved the way a browser resolves a Location header (backslashes as
 * slashes, dot segments, percent-escapes) and kept only if it stays on the same origin;
 * the answer is the resolved, percent-encoded path, never the raw input. Anything else → '/'.
 */
export function safeRedirectTarget(target: string | null | undefined): string {
	if (
		!target ||
		target.length > MAX_TARGET_LENGTH ||
		UNSAFE_CHARACTER.test(target) ||
		!target.startsWith('/')
	)
		return '/';
	let url: URL;
	try {
		url = new URL(target, BASE);
	} catch {
		return '/';
	}
	if (url.origin !== BASE.origin) return '/';
	const path = url.pathname + url.search + url.hash;
	// Resolved once more: `/a/..//evil` resolves to the path `//evil`, which is another host.
	return new URL(path, BASE).origin === BASE.origin ? path : '/';
}
