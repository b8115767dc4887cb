import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, eq, inArray, lt } from 'drizzle-orm';
import type { Db } from '../db';
import { memberImports, offices, users } from '../db/schema';
import { generateTemporaryPassword, hashPassword } from '../auth/password';
import { managedOfficeIds, type Actor } from '../org/offices';
import { field } from '../validation';
import { refreshEnrolments } from '../courses/enrol';
import { refreshExamCandidates } from '../exams/candidates';
import { readMemberSheet, type RawRow } from './spreadsheet';
import { userNameFields } from './name-key';
import { recordAudit, type AuditActor, type Tx } from '../audit';
import { accountLabel } from './describe';

export interface PreviewRow extends RawRow {
	officeId: number | null;
	errors: string[];
}

export interface ImportPreview {
	id: string;
	fileName: string;
	rows: PreviewRow[];
	errorCount: number;
}

const PENDING_LIFETIME_MS = 24 * 60 * 60 * 1000;

function firstMessage(result: {
	success: boolean;
	error?: { issues: { message: string }[] };
}): string | null {
	return result.success ? null : (result.error?.issues[0]?.message ?? '格式不正确');
}

/** Checks every row against the database and the other rows of the same file. */
export function validateRows(db: Db, actor: Actor, rows: RawRow[]): PreviewRow[] {
	const scope = new Set(managedOfficeIds(db, actor));
	const officeByName = new Map(
		db
			.select({ id: offices.id, name: offices.name })
			.from(offices)
			.all()
			.map((o) => [o.name, o.id])
	);
	const usernames = rows.map((row) => row.values.登录名.toLowerCase()).filter(Boolean);
	const existing = new Set(
		usernames.length
			? db
					.select({ username: users.username })
					.from(users)
					.where(inArray(users.username, usernames))
					.all()
					.map((user) => user.username)
			: []
	);
	const firstLine = new Map<string, number>();
	return rows.map((row) => {
		const errors: string[] = [];
		const v = row.values;
		const name = firstMessage(field.name.safeParse(v.姓名));
		if (name) errors.push(v.姓名 ? name : '缺少姓名');
		const username = v.登录名.toLowerCase();
		const usernameError = firstMessage(field.username.safeParse(v.登录名));
		if (usernameError) errors.push(v.登录名 ? `登录名格式不正确（${usernameError}）` : '缺少登录名');
		else if (existing.has(username)) errors.push(`登录名“${username}”已被使用`);
		else if (firstLine.has(username)) errors.push(`登录名与第 ${firstLine.get(username)} 行重复`);
		else firstLine.set(username, row.line);
		const officeId = officeByName.get(v.单位) ?? null;
		if (!v.单位) errors.push('缺少单位');
		else if (officeId === null) errors.push(`单位“${v.单位}”不存在`);
		else if (!scope.has(officeId)) errors.push(`单位“${v.单位}”不在您的管理范围内`);
		const title = firstMessage(field.title.safeParse(v.职务));
		if (title) errors.push(title);
		if (v.手机号 && firstMessage(field.phone.safeParse(v.手机号)))
			errors.push('手机号格式不正确（应为 11 位数字，以 1 开头）');
		return { ...row, officeId, errors };
	});
}

function toPreview(id: string, fileName: string, rows: PreviewRow[]): ImportPreview {
	return { id, fileName, rows, errorCount: rows.filter((row) => row.errors.length).length };
}

/** Parses and checks an uploaded file and keeps it for the preview; writes no member. */
export async function stageImport(
	db: Db,
	actor: Actor,
	fileName: string,
	bytes: Uint8Array
): Promise<ImportPreview> {
	const raw = await readMemberSheet(fileName, bytes);
	const rows = validateRows(db, actor, raw);
	// 24 characters of base32: the shape src/params/token.ts lets into the preview's address.
	const id = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(15)));
	const now = new Date();
	db.transaction((tx) => {
		tx.delete(memberImports)
			.where(lt(memberImports.createdAt, new Date(now.getTime() - PENDING_LIFETIME_MS)))
			.run();
		tx.insert(memberImports)
			.values({ id, createdBy: actor.id, fileName, rowsJson: JSON.stringify(raw), createdAt: now })
			.run();
	});
	return toPreview(id, fileName, rows);
}

function loadStaged(db: Db, actor: Actor, id: string) {
	return db
		.select()
		.from(memberImports)
		.where(and(eq(memberImports.id, id), eq(memberImports.createdBy, actor.id)))
		.get();
}

/** The preview, re-checked now (another admin may have taken a login name meanwhile). */
export function getImportPreview(db: Db, actor: Actor, id: string): ImportPreview | null {
	const staged = loadStaged(db, actor, id);
	if (!staged) return null;
	return toPreview(
		staged.id,
		staged.fileName,
		validateRows(db, actor, JSON.parse(staged.rowsJson) as RawRow[])
	);
}

export interface ImportedMember {
	line: number;
	name: string;
	username: string;
	officeName: string;
	temporaryPassword: string;
}

export type ConfirmResult =
	| { ok: true; created: ImportedMember[] }
	| { ok: false; reason: 'missing' }
	| { ok: false; reason: 'errors'; preview: ImportPreview };

/**
 * Writes every row of an error-free preview in one transaction, each member with
 * their own one-time password, or nothing at all.
 */
/** One entry per office the file added members to, naming them, so each office's admins see their newcomers. */
function auditImport(tx: Tx, actor: AuditActor, preview: ImportPreview): void {
	const byOffice = new Map<number | null, { office: string; people: string[] }>();
	for (const row of preview.rows) {
		const o = byOffice.get(row.officeId) ?? { office: row.values.单位, people: [] };
		o.people.push(accountLabel({ name: row.values.姓名, username: row.values.登录名.toLowerCase() }));
		byOffice.set(row.officeId, o);
	}
	for (const [officeId, o] of byOffice) {
		recordAudit(tx, actor, {
			action: 'import.confirm',
			officeId,
			target: { type: 'import', id: preview.id },
			summary: `确认导入“${preview.fileName}”：向 ${o.office} 添加 ${o.people.length} 名成员`,
			detail: { members: o.people }
		});
	}
}

export async function confirmImport(db: Db, actor: AuditActor, id: string): Promise<ConfirmResult> {
	const preview = getImportPreview(db, actor, id);
	if (!preview) return { ok: false, reason: 'missing' };
	if (preview.errorCount > 0) return { ok: false, reason: 'errors', preview };
	const prepared = await Promise.all(
		preview.rows.map(async (row) => {
			const temporaryPassword = generateTemporaryPassword();
			return { row, temporaryPassword, passwordHash: await hashPassword(temporaryPassword) };
		})
	);
	// Hashing took a moment: a second confirm of the same file may have won the race.
	let written: boolean;
	try {
		written = db.transaction((tx) => {
			const stillStaged = tx
				.select({ id: memberImports.id })
				.from(memberImports)
				.where(eq(memberImports.id, id))
				.get();
			if (!stillStaged) return false;
			for (const { row, passwordHash } of prepared) {
				const v = row.values;
				const created = tx
					.insert(users)
					.values({
						...userNameFields(v.姓名),
						username: v.登录名.toLowerCase(),
						officeId: row.officeId,
						title: v.职务,
						phone: v.手机号,
						role: 'cadre',
						passwordHash,
						mustChangePassword: true
					})
					.returning({ id: users.id })
					.get();
				refreshEnrolments(tx, created.id);
				refreshExamCandidates(tx, created.id, new Date());
			}
			auditImport(tx, actor, preview);
			tx.delete(memberImports).where(eq(memberImports.id, id)).run();
			return true;
		});
	} catch (e) {
		// A login name taken by someone else meanwhile: nothing was written; show the fresh preview.
		const fresh =
			(e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && getImportPreview(db, actor, id);
		if (fresh) return { ok: false, reason: 'errors', preview: fresh };
		throw e;
	}
	if (!written) return { ok: false, reason: 'missing' };
	return {
		ok: true,
		created: prepared.map(({ row, temporaryPassword }) => ({
			line: row.line,
			name: row.values.姓名,
			username: row.values.登录名.toLowerCase(),
			officeName: row.values.单位,
			temporaryPassword
		}))
	};
}
