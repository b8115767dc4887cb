// The bell on every page's layout, prepared once per connection (see db/statements.ts).
import { and, count, eq, isNull, sql } from 'drizzle-orm';
import { notifications } from '../db/schema';
import { statements } from '../db/statements';

export const notificationStatements = statements((q) => ({
	/** { userId }: unread notices. */
	unreadCount: q
		.select({ n: count() })
		.from(notifications)
		.where(and(eq(notifications.userId, sql.placeholder('userId')), isNull(notifications.readAt)))
		.prepare()
}));
