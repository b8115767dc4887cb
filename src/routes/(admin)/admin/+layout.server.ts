import { getDb } from '$lib/server/db';
import { backupHealth } from '$lib/server/backups';
import type { LayoutServerLoad } from './$types';

// The backup's health on every 系统管理 page (where /admin lands): a failed or overdue backup is
// the sysadmin's to see without a shell.
export const load: LayoutServerLoad = () => ({ backupHealth: backupHealth(getDb()) });
