import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { setYearlyRequirement, yearlyRequirement } from '$lib/server/courses/hours';
import {
	actorOf,
	auditRetentionDays,
	MAX_RETENTION_DAYS,
	MIN_RETENTION_DAYS,
	setAuditRetention
} from '$lib/server/audit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({
	requirement: yearlyRequirement(getDb()),
	retention: auditRetentionDays(getDb()),
	retentionRange: { min: MIN_RETENTION_DAYS, max: MAX_RETENTION_DAYS }
});

export const actions: Actions = {
	requirement: async (event) => {
		const value = String((await event.request.formData()).get('requirement') ?? '');
		const result = setYearlyRequirement(getDb(), actorOf(event), value);
		if (!result.ok) return refuse(400, { requirement: result.error }, { requirement: value });
		return { notice: '已保存每年学时要求' };
	},
	retention: async (event) => {
		const value = String((await event.request.formData()).get('retention') ?? '');
		const result = setAuditRetention(getDb(), actorOf(event), value);
		if (!result.ok) return refuse(400, { retention: result.error }, { retention: value });
		return { notice: '已保存操作日志保留天数' };
	}
};
