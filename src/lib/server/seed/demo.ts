import type { Db } from '../db';
import { seedOrganisation } from './index';

/**
 * Everything `npm run db:seed` loads. Later capabilities add their demo
 * activity here, after the organisation they build on.
 */
export async function seedDemo(db: Db): Promise<string> {
	const org = await seedOrganisation(db);
	return `${org.offices} 个单位，${org.users} 个账号`;
}
