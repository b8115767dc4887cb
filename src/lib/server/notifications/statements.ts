// The bell on every page's layout, prepared once per connection (see db/statements.ts).
import { pluck, statements } from '../db/statements';

export const notificationStatements = statements((q) => ({
	/** { userId }: unread notices. */
	unreadCount: pluck<number>(
		q,
		'SELECT count(*) FROM notifications WHERE user_id = @userId AND read_at IS NULL'
	)
}));
