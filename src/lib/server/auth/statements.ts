// Sign-in state on every request, prepared once per connection (see db/statements.ts).
import { eq, sql } from 'drizzle-orm';
import { sessions, users } from '../db/schema';
import { statements } from '../db/statements';

export const authStatements = statements((q) => ({
	/** { id }: a session and its user, as one lookup reads them. */
	session: q
		.select({
			secretHash: sessions.secretHash,
			createdAt: sessions.createdAt,
			expiresAt: sessions.expiresAt,
			id: users.id,
			username: users.username,
			name: users.name,
			role: users.role,
			officeId: users.officeId,
			schoolId: users.schoolId,
			mustChangePassword: users.mustChangePassword,
			active: users.active
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.id, sql.placeholder('id')))
		.prepare()
}));
