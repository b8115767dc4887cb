import { and, count, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db, Queryable } from '../db';
import { likeContains } from '../db/like';
import { appSettings, auditLog, offices, schools, users } from '../db/schema';
import type { Role } from '../access';
import { descendantIds, flattenTree, getOffice, listOffices, officeTree } from '../org/offices';
import { getSchool } from '../org/schools';
import { shanghaiDay, shanghaiMidnight } from '../time';
import { addDays, isoDay } from '../../format';
import { csvStream, download, exportHeading, xlsxStream, type Sheet } from '../participation/export';
import { pageParam } from '../paging';
import { clientAddress } from '../client-address';

/**
 * 日志中心: who did what, when, from where. Every administrative action writes its entry
 * with `recordAudit` inside the action's own transaction, so the change and its entry
 * commit or roll back together. Entries are never changed; the triggers of migration
 * `audit_guards` enforce it, and only `purgeAudit` removes rows past the retention period.
 */

/** The acting admin as the log records them; routes build it with `actorOf`. */
export interface AuditActor {
	id: number;
	name: string;
	role: Role;
	officeId: number | null;
	schoolId?: number | null;
	/** The client's address; absent only when a script (the demo seed) acts. */
	ip?: string | null;
}

/** A transaction (not the bare database): an entry is only ever written inside its action's transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export const AUDIT_ACTIONS = {
	'account.create': '创建账号',
	'account.update': '修改账号',
	'account.deactivate': '停用账号',
	'account.reactivate': '恢复账号',
	'account.reset_password': '重置密码',
	'import.confirm': '确认导入',
	'office.create': '新建单位',
	'office.update': '修改单位',
	'school.create': '新建党校',
	'school.update': '修改党校',
	'course.create': '新建专题班',
	'course.update': '修改专题班',
	'course.assign': '布置专题班',
	'course.withdraw': '撤回布置',
	'course.remind': '催学',
	'quiz.settings': '修改测验设置',
	'session.create': '安排集中学习',
	'session.attendance': '更正签到',
	'session.minutes': '保存会议纪要',
	'reflection.excellent': '评为优秀心得',
	'reflection.unexcellent': '取消优秀心得',
	'reflection.comment': '点评心得',
	'live.create': '创建现场答题',
	'live.start': '开始现场答题',
	'live.finish': '结束现场答题',
	'module.create': '新建学习模块',
	'module.copy': '复制学习模块',
	'module.update': '修改学习模块',
	'module.submit': '提交审核',
	'module.recall': '撤回提交',
	'module.approve': '审核发布',
	'module.return': '退回修改',
	'module.withdraw': '下线学习模块',
	'module.restore': '恢复历史版本',
	'theme.create': '新建主题',
	'media.upload': '上传素材',
	'paper.create': '新建试卷',
	'paper.update': '修改试卷',
	'paper.archive': '删除试卷',
	'exam.create': '新建考试',
	'exam.update': '修改考试',
	'exam.cancel': '取消考试',
	'exam.assign': '布置考试',
	'exam.withdraw': '撤回考试布置',
	'exam.retake': '安排补考',
	'exam.remind': '催考',
	'exam.grade': '阅卷评分',
	'exam.release': '公布成绩',
	'settings.update': '修改系统设置',
	'token.create': '新建接口令牌',
	'token.revoke': '吊销接口令牌',
	'audit.purge': '清理过期日志',
	'backup.create': '立即备份',
	'backup.download': '下载备份',
	'place.create': '新增宣讲地点',
	'place.update': '修改宣讲地点',
	'place.import': '导入宣讲地点',
	'talk.record': '登记宣讲活动',
	'talk.correct': '更正宣讲活动'
} as const;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

const TARGET_LABELS = {
	user: '账号',
	office: '单位',
	school: '党校',
	course: '专题班',
	assignment: '布置',
	module: '模块',
	draft: '模块草稿',
	theme: '主题',
	media: '素材',
	session: '集中学习',
	reflection: '心得',
	live: '现场答题',
	paper: '试卷',
	exam: '考试',
	setting: '设置',
	token: '接口令牌',
	import: '导入',
	backup: '备份',
	place: '宣讲地点',
	talk: '宣讲活动'
} as const;
type TargetType = keyof typeof TARGET_LABELS;

/** One field that an action changed, as shown to people: label, before, after. */
export interface Change {
	label: string;
	from: string;
	to: string;
}

export interface AuditEntry {
	action: AuditAction;
	/** The office and school the action concerns (who may see the entry), not the actor's. */
	officeId?: number | null;
	schoolId?: number | null;
	target?: { type: TargetType; id: number | string };
	/** One line in plain Chinese, e.g. 重置了 张三（lishi.001）的密码. */
	summary: string;
	detail?: { changes?: Change[] } & Record<string, unknown>;
	at?: Date;
}

/** The fields whose values differ, labelled: `labels` names the fields worth recording. */
export function changesOf<T extends Record<string, unknown>>(
	labels: Partial<Record<keyof T, string>>,
	before: T,
	after: Partial<T>
): Change[] {
	const shown = (v: unknown) =>
		v === null || v === undefined || v === ''
			? '（空）'
			: typeof v === 'boolean'
				? v
					? '是'
					: '否'
				: String(v);
	return (Object.keys(labels) as (keyof T)[])
		.filter((k) => k in after && shown(before[k]) !== shown(after[k]))
		.map((k) => ({ label: labels[k]!, from: shown(before[k]), to: shown(after[k]) }));
}

export function recordAudit(tx: Tx, actor: AuditActor | null, entry: AuditEntry): void {
	tx.insert(auditLog)
		.values({
			at: entry.at ?? new Date(),
			actorUserId: actor?.id ?? null,
			actorName: actor?.name ?? '系统',
			ip: actor?.ip ?? null,
			action: entry.action,
			officeId: entry.officeId ?? null,
			schoolId: entry.schoolId ?? null,
			targetType: entry.target?.type ?? null,
			targetId: entry.target ? String(entry.target.id) : null,
			summary: entry.summary,
			detail: entry.detail ? JSON.stringify(entry.detail) : null
		})
		.run();
}

/** A user acting, as the log records them: from a request (actorOf) or in a script (the demo seed). */
export function auditActor(
	user: Pick<AuditActor, 'id' | 'name' | 'role' | 'officeId'> & { schoolId: number | null },
	ip: string | null = null
): Required<AuditActor> {
	return {
		id: user.id,
		name: user.name,
		role: user.role,
		officeId: user.officeId,
		schoolId: user.schoolId,
		ip
	};
}

/** The signed-in admin of a request and the address the request came from. */
export function actorOf(event: { locals: App.Locals; getClientAddress: () => string }): Required<AuditActor> {
	const user = event.locals.user;
	// The access guard lets nobody without a session reach an admin action.
	if (!user) throw new Error('actorOf: no signed-in user');
	return auditActor(user, clientAddress(event));
}

// ---------------------------------------------------------------- retention

export const RETENTION_KEY = 'audit_retention_days';
export const DEFAULT_RETENTION_DAYS = 1095;
/** The trigger never honours less (网络安全法: network logs are kept at least six months). */
export const MIN_RETENTION_DAYS = 180;
export const MAX_RETENTION_DAYS = 3650;
// The same cutoff as the trigger `audit_log_retention_only` (migration audit_guards), evaluated
// by SQLite in the DELETE statement itself, so the purge can never ask for a row the trigger keeps.
const CUTOFF_SQL = `unixepoch() * 1000 - 86400000 * max(${MIN_RETENTION_DAYS}, coalesce((SELECT CAST(value AS INTEGER) FROM app_settings WHERE key = '${RETENTION_KEY}'), ${DEFAULT_RETENTION_DAYS}))`;

export function auditRetentionDays(db: Queryable): number {
	const row = db.select().from(appSettings).where(eq(appSettings.key, RETENTION_KEY)).get();
	return row ? Number(row.value) : DEFAULT_RETENTION_DAYS;
}

/** The sysadmin sets how long entries are kept (days); recorded like every other setting. */
export function setAuditRetention(
	db: Db,
	actor: AuditActor,
	raw: string
): { ok: true } | { ok: false; error: string } {
	const days = Number(raw);
	if (!/^\d+$/.test(raw.trim()) || days < MIN_RETENTION_DAYS || days > MAX_RETENTION_DAYS) {
		return {
			ok: false,
			error: `请填写 ${MIN_RETENTION_DAYS}–${MAX_RETENTION_DAYS} 之间的天数（法规要求网络日志至少留存六个月）`
		};
	}
	db.transaction((tx) => {
		const before = auditRetentionDays(tx);
		tx.insert(appSettings)
			.values({ key: RETENTION_KEY, value: String(days) })
			.onConflictDoUpdate({ target: appSettings.key, set: { value: String(days) } })
			.run();
		recordAudit(tx, actor, {
			action: 'settings.update',
			target: { type: 'setting', id: RETENTION_KEY },
			summary: `操作日志保留天数改为 ${days} 天`,
			detail: { changes: [{ label: '操作日志保留天数', from: String(before), to: String(days) }] }
		});
	});
	return { ok: true };
}

/** Deletes the entries older than the retention period (the daily sweep); notes how many in the log. */
export function purgeAudit(db: Db): number {
	return db.transaction((tx) => {
		const removed = tx.run(sql.raw(`DELETE FROM audit_log WHERE at < ${CUTOFF_SQL}`)).changes;
		if (removed > 0)
			recordAudit(tx, null, { action: 'audit.purge', summary: `清理了超过保留期限的操作日志 ${removed} 条` });
		return removed;
	});
}

// ---------------------------------------------------------------- reading

export interface AuditViewer {
	role: Role;
	officeId: number | null;
	schoolId?: number | null;
}

export interface AuditFilters {
	q: string;
	action: AuditAction | '';
	officeId: number | null;
	from: string;
	to: string;
}

export interface AuditRow {
	id: number;
	/** Shanghai wall-clock time, to the second. */
	when: string;
	actorName: string;
	actorUsername: string | null;
	ip: string | null;
	action: string;
	actionLabel: string;
	officeName: string | null;
	schoolName: string | null;
	target: string;
	summary: string;
	changes: Change[];
}

export const AUDIT_PAGE_SIZE = 50;

/**
 * What a viewer may see: the sysadmin everything; an office admin the entries concerning
 * their office or one below it; a school admin those concerning their school. Null: nothing.
 */
function scopeOf(db: Queryable, viewer: AuditViewer): SQL | undefined | null {
	if (viewer.role === 'sysadmin') return undefined;
	if (viewer.role === 'office_admin' && viewer.officeId)
		return inArray(auditLog.officeId, descendantIds(db, viewer.officeId));
	if (viewer.role === 'school_admin' && viewer.schoolId) return eq(auditLog.schoolId, viewer.schoolId);
	return null;
}

function isDay(v: string): boolean {
	return /^\d{4}-\d{2}-\d{2}$/.test(v) && isoDay(new Date(`${v}T00:00:00Z`)) === v;
}

/** Filters from the query string; a malformed value is dropped with a message for the form. */
export function auditFilters(params: URLSearchParams): {
	filters: AuditFilters;
	errors: Record<string, string>;
} {
	const errors: Record<string, string> = {};
	const day = (key: 'from' | 'to') => {
		const v = (params.get(key) ?? '').trim();
		if (v && !isDay(v)) errors[key] = '请填写有效的日期，例如 2026-03-01';
		return v && isDay(v) ? v : '';
	};
	const action = params.get('action') ?? '';
	const filters: AuditFilters = {
		q: (params.get('q') ?? '').trim().slice(0, 30),
		action: action in AUDIT_ACTIONS ? (action as AuditAction) : '',
		officeId: Number(params.get('office')) || null,
		from: day('from'),
		to: day('to')
	};
	if (filters.from && filters.to && filters.from > filters.to) errors.to = '结束日期不能早于开始日期';
	return { filters, errors };
}

function conditions(db: Queryable, viewer: AuditViewer, f: AuditFilters): SQL[] | null {
	const scope = scopeOf(db, viewer);
	if (scope === null) return null;
	const where: SQL[] = scope ? [scope] : [];
	if (f.q) {
		const byUsername = db.select({ id: users.id }).from(users).where(likeContains(users.username, f.q));
		where.push(or(likeContains(auditLog.actorName, f.q), inArray(auditLog.actorUserId, byUsername))!);
	}
	if (f.action) where.push(eq(auditLog.action, f.action));
	if (f.officeId) where.push(inArray(auditLog.officeId, descendantIds(db, f.officeId)));
	// Calendar days in Asia/Shanghai: `to` includes the whole of its day.
	if (f.from) where.push(sql`${auditLog.at} >= ${shanghaiMidnight(f.from).getTime()}`);
	if (f.to) where.push(sql`${auditLog.at} < ${shanghaiMidnight(addDays(f.to, 1)).getTime()}`);
	return where;
}

function select(db: Queryable) {
	return db
		.select({
			id: auditLog.id,
			at: auditLog.at,
			actorName: auditLog.actorName,
			actorUsername: users.username,
			ip: auditLog.ip,
			action: auditLog.action,
			officeName: offices.name,
			schoolName: schools.name,
			targetType: auditLog.targetType,
			targetId: auditLog.targetId,
			summary: auditLog.summary,
			detail: auditLog.detail
		})
		.from(auditLog)
		.leftJoin(users, eq(users.id, auditLog.actorUserId))
		.leftJoin(offices, eq(offices.id, auditLog.officeId))
		.leftJoin(schools, eq(schools.id, auditLog.schoolId));
}

type Selected = Awaited<ReturnType<ReturnType<typeof select>['all']>>[number];

function toRow(entry: Selected): AuditRow {
	const detail = entry.detail ? (JSON.parse(entry.detail) as { changes?: Change[] }) : {};
	return {
		id: entry.id,
		when: shanghaiDateTime(entry.at),
		actorName: entry.actorName,
		actorUsername: entry.actorUsername,
		ip: entry.ip,
		action: entry.action,
		actionLabel: AUDIT_ACTIONS[entry.action as AuditAction] ?? entry.action,
		officeName: entry.officeName,
		schoolName: entry.schoolName,
		target: entry.targetType
			? `${TARGET_LABELS[entry.targetType as TargetType] ?? entry.targetType} ${entry.targetId ?? ''}`.trim()
			: '',
		summary: entry.summary,
		changes: detail.changes ?? []
	};
}

/** The entries a viewer may see, filtered, newest first, a page at a time. */
export function listAudit(
	db: Queryable,
	viewer: AuditViewer,
	filters: AuditFilters,
	page = 1
): { rows: AuditRow[]; total: number } {
	const where = conditions(db, viewer, filters);
	if (!where) return { rows: [], total: 0 };
	const total =
		db
			.select({ n: count() })
			.from(auditLog)
			.where(and(...where))
			.get()?.n ?? 0;
	const rows = select(db)
		.where(and(...where))
		.orderBy(desc(auditLog.at), desc(auditLog.id))
		.limit(AUDIT_PAGE_SIZE)
		.offset((Math.max(1, page) - 1) * AUDIT_PAGE_SIZE)
		.all();
	return { rows: rows.map(toRow), total };
}

/** The offices a viewer may filter by, indented: everything for the sysadmin and school admins, the subtree for an office admin. */
export function auditOfficeOptions(
	db: Queryable,
	viewer: AuditViewer
): { id: number; name: string; depth: number }[] {
	const all = flattenTree(officeTree(listOffices(db)));
	if (viewer.role !== 'office_admin') return all.map((o) => ({ id: o.id, name: o.name, depth: o.depth }));
	const scope = new Set(viewer.officeId ? descendantIds(db, viewer.officeId) : []);
	const mine = all.filter((o) => scope.has(o.id));
	const top = Math.min(...mine.map((o) => o.depth));
	return mine.map((o) => ({ id: o.id, name: o.name, depth: o.depth - top }));
}

/** Everything a log page shows, from its query string. */
export function auditPage(db: Queryable, viewer: AuditViewer, params: URLSearchParams) {
	const { filters, errors } = auditFilters(params);
	const page = pageParam(params);
	const { rows, total } = listAudit(db, viewer, filters, page);
	return {
		rows,
		total,
		page,
		pageSize: AUDIT_PAGE_SIZE,
		filters,
		errors,
		offices: auditOfficeOptions(db, viewer),
		actions: Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label })),
		scope:
			viewer.role === 'sysadmin'
				? '全部管理操作。'
				: viewer.role === 'office_admin'
					? '涉及本单位及下级单位的管理操作。'
					: '涉及本校的管理操作（专题班、布置、催学、测验设置等）。',
		retentionDays: auditRetentionDays(db)
	};
}

// ---------------------------------------------------------------- export

/** An instant as Shanghai wall-clock time: 2026-03-01 09:05:07. */
export function shanghaiDateTime(at: Date): string {
	return `${shanghaiDay(at)} ${new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(11, 19)}`;
}

const EXPORT_PAGE = 500;

/** The filtered log for .xlsx/.csv export, read 500 rows at a time (keyset on time and id, newest first). */
export function auditSheet(db: Queryable, viewer: AuditViewer, filters: AuditFilters): Sheet<AuditRow> {
	return {
		name: '操作日志',
		columns: [
			{ header: '时间', width: 20, value: (row) => row.when },
			{ header: '操作人', width: 12, value: (row) => row.actorName },
			{ header: '登录名', width: 16, value: (row) => row.actorUsername ?? '' },
			{ header: 'IP 地址', width: 16, value: (row) => row.ip ?? '' },
			{ header: '操作', width: 14, value: (row) => row.actionLabel },
			{ header: '单位', width: 22, value: (row) => row.officeName ?? '' },
			{ header: '党校', width: 18, value: (row) => row.schoolName ?? '' },
			{ header: '对象', width: 14, value: (row) => row.target },
			{ header: '内容', width: 50, value: (row) => row.summary },
			{
				header: '变更',
				width: 50,
				value: (row) => row.changes.map((c) => `${c.label}：${c.from} → ${c.to}`).join('；')
			}
		],
		*pages() {
			const where = conditions(db, viewer, filters);
			if (!where) return;
			let last: { at: Date; id: number } | undefined;
			for (;;) {
				const after =
					last && or(lt(auditLog.at, last.at), and(eq(auditLog.at, last.at), lt(auditLog.id, last.id)));
				const page = select(db)
					.where(and(...where, after))
					.orderBy(desc(auditLog.at), desc(auditLog.id))
					.limit(EXPORT_PAGE)
					.all();
				if (page.length === 0) return;
				yield page.map(toRow);
				const end = page[page.length - 1]!;
				last = { at: end.at, id: end.id };
			}
		}
	};
}

/** Whose entries an export holds, for its heading: 全部单位, an office and those below it, or a school. */
function scopeName(db: Queryable, viewer: AuditViewer): string {
	if (viewer.role === 'office_admin' && viewer.officeId)
		return `${getOffice(db, viewer.officeId)?.name ?? ''}（含下级单位）`;
	if (viewer.role === 'school_admin' && viewer.schoolId) return getSchool(db, viewer.schoolId)?.name ?? '';
	return '全部单位';
}

/** The filters an export was made with, in words. */
function filterLine(db: Queryable, f: AuditFilters): string {
	const parts = [
		f.q && `操作人含“${f.q}”`,
		f.action && `操作：${AUDIT_ACTIONS[f.action]}`,
		f.officeId && `单位：${getOffice(db, f.officeId)?.name ?? f.officeId}（含下级单位）`,
		(f.from || f.to) && `日期：${f.from || '最早'} 至 ${f.to || '今天'}`
	].filter(Boolean);
	return `筛选：${parts.length ? parts.join('，') : '全部记录'}`;
}

/** The download of a viewer's filtered log (`format` is csv or xlsx), streamed as it is read. */
export function auditDownload(
	db: Queryable,
	viewer: AuditViewer,
	params: URLSearchParams,
	format: 'csv' | 'xlsx',
	now = new Date()
): Response {
	const { filters } = auditFilters(params);
	const heading = exportHeading(
		{ title: '操作日志', office: scopeName(db, viewer), lines: [filterLine(db, filters)] },
		now
	);
	const sheet = { ...auditSheet(db, viewer, filters), preamble: heading.preamble };
	return download(format === 'csv' ? csvStream(sheet) : xlsxStream(sheet), heading.fileName, format);
}
