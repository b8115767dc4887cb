import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { users } from '../db/schema';
import { hashPassword, passwordProblem, verifyPassword } from './password';
import { invalidateUserSessions } from './session';
import { releaseAttempt, reserveAttempt, tooManyAttempts } from '../rate-limit';

export const MAX_WRONG_CURRENT = 5;
export const WRONG_CURRENT_WINDOW_MS = 15 * 60_000;

/**
 * Checks the current password, at most MAX_WRONG_CURRENT wrong ones per window: whoever
 * sits at an unlocked session must not be able to guess it (and take the account over).
 * Counted before the check, as at login, so concurrent guesses do not slip through.
 */
async function checkCurrentPassword(
	db: Db,
	user: { id: number; passwordHash: string },
	current: string,
	now: Date
): Promise<string | null> {
	const limit = { key: `password:${user.id}`, max: MAX_WRONG_CURRENT, windowMs: WRONG_CURRENT_WINDOW_MS };
	const reservation = reserveAttempt(db, [limit], now);
	if (!reservation.ok) return tooManyAttempts(reservation.retryAfterMs);
	if (!(await verifyPassword(user.passwordHash, current))) return '当前密码不正确';
	releaseAttempt(db, reservation.ids);
	return null;
}

export type ChangePasswordResult = { ok: true } | { ok: false; errors: Record<string, string> };

/**
 * A user changes their own password. Every other session of theirs ends; the
 * current one stays so they are not thrown out of the page they are on.
 */
export async function changePassword(
	db: Db,
	userId: number,
	currentSessionId: string,
	input: { current: string; next: string; confirm: string },
	now = new Date()
): Promise<ChangePasswordResult> {
	const user = db.select().from(users).where(eq(users.id, userId)).get();
	if (!user) return { ok: false, errors: { current: '没有找到这个账号' } };
	const errors: Record<string, string> = {};
	const wrongCurrent = input.current
		? await checkCurrentPassword(db, user, input.current, now)
		: '请输入当前密码';
	if (wrongCurrent) errors.current = wrongCurrent;
	const weak = passwordProblem(input.next);
	if (weak) errors.next = weak;
	else if (input.next === input.current) errors.next = '新密码不能与当前密码相同';
	if (!errors.next && input.confirm !== input.next) errors.confirm = '两次输入的新密码不一致';
	if (Object.keys(errors).length) return { ok: false, errors };

	const passwordHash = await hashPassword(input.next);
	db.transaction((tx) => {
		tx.update(users)
			.set({ passwordHash, mustChangePassword: false, updatedAt: new Date() })
			.where(eq(users.id, userId))
			.run();
		invalidateUserSessions(tx, userId, currentSessionId);
	});
	return { ok: true };
}
