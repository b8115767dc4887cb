import { and, desc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db, Queryable } from '../db';
import { moduleDrafts, moduleVersions, users } from '../db/schema';
import type { AuditActor } from '../audit';
import type { ModuleDoc } from './doc';
import { actorOwner, auditDraft, formError, NOT_FOUND, ownedDraft, quoted, UNDER_REVIEW } from './store';
import type { Draft, Result, VersionRow } from './types';

/*
 * Versions: every publish is kept as it was (module_versions refuses changes). Any of them can be
 * read again and restored as the draft; the keys in it are the ones learners' progress is
 * attached to, so publishing a restored version brings back the very same lessons and questions.
 */

const approver = alias(users, 'approver');

/** The draft's published versions, newest first. */
export function listVersions(db: Queryable, draft: Draft): VersionRow[] {
	return db
		.select({
			version: moduleVersions.version,
			publishedAt: moduleVersions.publishedAt,
			submittedByName: users.name,
			approvedByName: approver.name,
			selfApproved: moduleVersions.selfApproved
		})
		.from(moduleVersions)
		.innerJoin(users, eq(users.id, moduleVersions.submittedBy))
		.innerJoin(approver, eq(approver.id, moduleVersions.approvedBy))
		.where(eq(moduleVersions.draftId, draft.id))
		.orderBy(desc(moduleVersions.version))
		.all();
}

export function versionDoc(
	db: Queryable,
	draft: Draft | { id: number },
	version: number
): ModuleDoc | undefined {
	if (!Number.isSafeInteger(version)) return undefined;
	const row = db
		.select({ doc: moduleVersions.doc })
		.from(moduleVersions)
		.where(and(eq(moduleVersions.draftId, draft.id), eq(moduleVersions.version, version)))
		.get();
	return row ? (JSON.parse(row.doc) as ModuleDoc) : undefined;
}

/**
 * 恢复为草稿: the version's document becomes the draft (status editing). The key counters stay
 * where they are, so keys given since that version are never given again.
 */
export function restoreVersion(db: Db, actor: AuditActor, draftId: number, version: number): Result {
	return db.transaction((tx): Result => {
		const owner = actorOwner(actor);
		const row = ownedDraft(tx, owner, draftId);
		if (!owner || !row) return formError(NOT_FOUND);
		if (row.status === 'submitted') return formError(UNDER_REVIEW);
		const doc = versionDoc(tx, row, version);
		if (!doc) return formError('没有找到这个版本');
		tx.update(moduleDrafts)
			.set({
				doc: JSON.stringify(doc),
				status: 'editing',
				reviewComment: null,
				nextLesson: Math.max(row.nextLesson, nextNumber(doc.lessons, 'l')),
				nextQuestion: Math.max(row.nextQuestion, nextNumber(doc.questions, 'q')),
				updatedBy: actor.id,
				updatedAt: new Date()
			})
			.where(eq(moduleDrafts.id, row.id))
			.run();
		auditDraft(
			tx,
			actor,
			owner,
			row.id,
			'module.restore',
			`将学习模块${quoted(doc.title)}恢复为第 ${version} 版的内容（草稿）`,
			{
				version
			}
		);
		return { ok: true };
	});
}

/** One past the highest number among keys like l7 / q12. */
function nextNumber(items: { key: string }[], prefix: string): number {
	const numbers = items.map((i) => Number(i.key.slice(prefix.length))).filter(Number.isSafeInteger);
	return Math.max(0, ...numbers) + 1;
}
