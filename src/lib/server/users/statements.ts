// The users' statements, prepared once per connection (see db/statements.ts).
import { pluck, statements } from '../db/statements';

export const userStatements = statements((q) => ({
	/** (userId): 大字模式, read by the root layout on every page. */
	textSize: pluck<string>(q, 'SELECT text_size FROM users WHERE id = ?'),
	/** (size, now, userId) */
	setTextSize: q.$client.prepare('UPDATE users SET text_size = ?, updated_at = ? WHERE id = ?')
}));
