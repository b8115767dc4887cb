import type { SessionUser, Session } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			user: SessionUser | null;
			session: Session | null;
		}
	}
}

export {};
