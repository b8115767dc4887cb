/**
 * 接口令牌: read-only tokens with which another system (the national view, scripts/national.ts)
 * reads this instance's participation figures at GET /api/figures. The sysadmin creates one by
 * name; the token is shown once and only its SHA-256 is kept (like a session's secret), so a
 * copy of the database gives nobody a usable token. Revoked, it answers nothing. Both are audited.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Db, Queryable } from '../db';
import { apiTokens, users } from '../db/schema';
import { parseWith, type FieldErrors } from '../validation';
import { recordAudit, type AuditActor } from '../audit';
import { nationalStatements } from './statements';

/** What every token starts with: recognisable in a configuration file or a leaked log. */
export const TOKEN_PREFIX = 'xxyd_';

export interface ApiTokenListing {
	id: number;
	name: string;
	createdAt: Date;
	createdByName: string | null;
	lastUsedAt: Date | null;
	revokedAt: Date | null;
}

function hashToken(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Every token, those in use first, newest first; never the hash. */
export function listTokens(db: Queryable): ApiTokenListing[] {
	return db
		.select({
			id: apiTokens.id,
			name: apiTokens.name,
			createdAt: apiTokens.createdAt,
			createdByName: users.name,
			lastUsedAt: apiTokens.lastUsedAt,
			revokedAt: apiTokens.revokedAt
		})
		.from(apiTokens)
		.leftJoin(users, eq(users.id, apiTokens.createdBy))
		.orderBy(sql`${apiTokens.revokedAt} IS NOT NULL`, desc(apiTokens.createdAt), desc(apiTokens.id))
		.all();
}

const tokenInput = z.object({
	name: z
		.string({ error: '请填写令牌名称（至少 2 个字），例如“全国汇总”' })
		.trim()
		.min(2, { error: '请填写令牌名称（至少 2 个字），例如“全国汇总”' })
		.max(40, { error: '令牌名称不能超过 40 个字' })
});

export type CreateTokenResult =
	{ ok: true; id: number; name: string; token: string } | { ok: false; errors: FieldErrors };

/** A new token: the only time its text exists outside the caller (who shows it once). */
export function createToken(
	db: Db,
	actor: AuditActor & { id: number },
	input: Record<string, string>,
	now = new Date()
): CreateTokenResult {
	const parsed = parseWith(tokenInput, input);
	if (!parsed.ok) return parsed;
	const name = parsed.data.name;
	const token = TOKEN_PREFIX + encodeBase32LowerCaseNoPadding(randomBytes(24)); // 192 bits
	return db.transaction((tx) => {
		const same = tx
			.select({ id: apiTokens.id })
			.from(apiTokens)
			.where(and(eq(apiTokens.name, name), isNull(apiTokens.revokedAt)))
			.get();
		if (same)
			return {
				ok: false as const,
				errors: { name: '已有同名的令牌在用，请换个名称（例如注明用途或日期）' }
			};
		const id = tx
			.insert(apiTokens)
			.values({ name, tokenHash: hashToken(token), createdBy: actor.id, createdAt: now })
			.returning({ id: apiTokens.id })
			.get().id;
		recordAudit(tx, actor, {
			action: 'token.create',
			target: { type: 'token', id },
			summary: `新建接口令牌“${name}”`,
			at: now
		});
		return { ok: true as const, id, name, token };
	});
}

/** Revokes a token in use; from then on it answers nothing. */
export function revokeToken(
	db: Db,
	actor: AuditActor,
	rawId: string | number | undefined,
	now = new Date()
): { ok: true; name: string } | { ok: false; message: string } {
	// A plain decimal id only: Number() would also take 0x10 or 1e1 for another token's id.
	const id = /^[1-9]\d{0,15}$/.test(String(rawId ?? '').trim()) ? Number(rawId) : NaN;
	const missing = { ok: false as const, message: '没有找到这个令牌，请刷新页面后重试' };
	if (!Number.isSafeInteger(id)) return missing;
	return db.transaction((tx) => {
		const token = tx.select().from(apiTokens).where(eq(apiTokens.id, id)).get();
		if (!token) return missing;
		if (token.revokedAt) return { ok: false as const, message: `令牌“${token.name}”已经吊销` };
		tx.update(apiTokens).set({ revokedAt: now }).where(eq(apiTokens.id, id)).run();
		recordAudit(tx, actor, {
			action: 'token.revoke',
			target: { type: 'token', id },
			summary: `吊销接口令牌“${token.name}”`,
			at: now
		});
		return { ok: true as const, name: token.name };
	});
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | null): string | null {
	const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
	return m ? m[1]! : null;
}

/**
 * The token in use that this text is, recording that it was used; null for anything else
 * (unknown, revoked, empty). Tokens carry 192 random bits: they are found by their hash, and
 * guessing one needs no limit (as with sessions).
 */
export function verifyToken(
	db: Queryable,
	token: string | null,
	now = new Date()
): { id: number; name: string } | null {
	if (!token || !token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
	const statements = nationalStatements(db);
	const found = statements.liveToken.get({ hash: hashToken(token) });
	if (!found) return null;
	statements.touchToken.run(now.getTime(), found.id);
	return found;
}
