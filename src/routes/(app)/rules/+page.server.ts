import { POINT_RULES } from '$lib/server/points/rules';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ rules: Object.values(POINT_RULES) });
