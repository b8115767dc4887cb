import { getDb } from '$lib/server/db';
import { auditPage } from '$lib/server/audit';
import type { PageServerLoad } from './$types';

// Which entries a viewer sees is decided by their role inside auditPage, not by the page.
export const load: PageServerLoad = ({ locals, url }) => auditPage(getDb(), locals.user!, url.searchParams);
