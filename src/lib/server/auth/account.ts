import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { users } from '../db/schema';
import { hashPassword, passwordProblem, verifyPassword } from './password';
import { invalidateUserSessions } from './session';

export type ChangePasswordResult = { ok: true } | { ok: false; errors: Record<string, string> };

/**
 * A user changes their own password. Every other session of theirs ends; the
 * current one stays so they are not thrown out of the page they are on.
 */
export async function changePassword(
	db: Db,
	userId: number,
	currentSessionId: string,
	input: { current: string; next: string; confirm: string }
): Promise<ChangePasswordResult> {
	const user = db.select().from(users).where(eq(users.id, userId)).get();
	if (!user) return { ok: false, errors: { current: '账号不存在' } };
	const errors: Record<string, string> = {};
	if (!input.current) errors.current = '请输入当前密码';
	else if (!(await verifyPassword(user.passwordHash, input.current))) errors.current = '当前密码不正确';
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
