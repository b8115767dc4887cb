// Sign-in state on every request, prepared once per connection (see db/statements.ts). A raw read
// with a row mapper: Drizzle's prepared select maps each row through generic code, and this runs
// on every request (docs/PERFORMANCE.md, round 5).
import type { Role } from '../access';
import { query, statements } from '../db/statements';

interface StoredSession {
	secret_hash: Buffer;
	created_at: number;
	expires_at: number;
	id: number;
	username: string;
	name: string;
	role: Role;
	office_id: number | null;
	school_id: number | null;
	must_change_password: number;
	active: number;
}

export const authStatements = statements((q) => ({
	/** { id }: a session and its user, as one lookup reads them. */
	session: query(
		q,
		`SELECT s.secret_hash, s.created_at, s.expires_at, u.id, u.username, u.name, u.role, u.office_id,
			u.school_id, u.must_change_password, u.active
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = @id`,
		(row: StoredSession) => ({
			secretHash: row.secret_hash,
			createdAt: new Date(row.created_at),
			expiresAt: new Date(row.expires_at),
			id: row.id,
			username: row.username,
			name: row.name,
			role: row.role,
			officeId: row.office_id,
			schoolId: row.school_id,
			mustChangePassword: row.must_change_password === 1,
			active: row.active === 1
		})
	)
}));
