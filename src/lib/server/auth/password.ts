import { hash, verify } from '@node-rs/argon2';
import { randomInt } from 'node:crypto';

// OWASP's argon2id baseline, as DEVELOPERS.md prescribes.
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string): Promise<string> {
	return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

export const PASSWORD_MIN_LENGTH = 8;

/** Returns a Chinese message when the password is too weak, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
	if (password.length < PASSWORD_MIN_LENGTH) return `密码至少 ${PASSWORD_MIN_LENGTH} 位`;
	if (password.length > 128) return '密码不能超过 128 位';
	if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) return '密码须同时包含字母和数字';
	return null;
}

// No 0/O, 1/l/I: a temporary password is read aloud or copied by hand.
const TEMP_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A one-time password an admin hands to a member; it always passes passwordProblem. */
export function generateTemporaryPassword(): string {
	for (;;) {
		let out = '';
		for (let i = 0; i < 10; i++) out += TEMP_ALPHABET[randomInt(TEMP_ALPHABET.length)];
		if (passwordProblem(out) === null) return out;
	}
}
