import type { Role } from './db/schema';

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
	{ prefix: '/admin', roles: ['sysadmin'] },
	{ prefix: '/office', roles: ['office_admin', 'sysadmin'] },
	{ prefix: '/school', roles: ['school_admin', 'sysadmin'] }
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
	return AREA_RULES.find((r) => matches(pathname, r.prefix))?.roles ?? 'signed-in';
}

export type AccessDecision =
	| { kind: 'allow' }
	| { kind: 'login' }
	| { kind: 'change-password' }
	| { kind: 'forbidden' };

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

/** Only same-site relative paths are followed after login (no open redirects). */
export function safeRedirectTarget(target: string | null | undefined): string {
	if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return '/';
	return target;
}
