import { encodeBase32UpperCaseNoPadding } from '@oslojs/encoding';
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../db';
import { certificates, courses, offices, schools, users } from '../db/schema';
import { shanghaiDay } from '../time';
import { canManageOffice, userOffice, type Actor } from '../org/offices';

/** A serial that is unique and unguessable: year plus 60 random bits, e.g. LL2026-ABCD-EFGH-IJKL. */
function newSerial(at: Date): string {
	const raw = encodeBase32UpperCaseNoPadding(crypto.getRandomValues(new Uint8Array(8))).slice(0, 12);
	return `LL${shanghaiDay(at).slice(0, 4)}-${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}`;
}

/** What a serial looks like (see newSerial); anything else is refused before any lookup. */
const SERIAL_FORMAT = /^LL\d{4}(-[A-Z2-7]{4}){3}$/;

/** A typed or scanned serial, tidied (spaces trimmed, upper case); null when it cannot be one. */
export function normaliseSerial(raw: string): string | null {
	const serial = raw.trim().toUpperCase();
	return SERIAL_FORMAT.test(serial) ? serial : null;
}

/** Issues the certificate of a completed course once; returns its serial (the existing one if issued before). */
export function issueCertificate(tx: Queryable, userId: number, courseId: number, at: Date): string {
	const existing = tx
		.select({ serial: certificates.serial })
		.from(certificates)
		.where(and(eq(certificates.userId, userId), eq(certificates.courseId, courseId)))
		.get();
	if (existing) return existing.serial;
	const row = tx
		.select({
			name: users.name,
			officeName: offices.name,
			courseTitle: courses.title,
			hours: courses.hours,
			schoolName: schools.name
		})
		.from(users)
		.leftJoin(offices, eq(offices.id, users.officeId))
		.innerJoin(courses, eq(courses.id, courseId))
		.innerJoin(schools, eq(schools.id, courses.schoolId))
		.where(eq(users.id, userId))
		.get()!;
	for (;;) {
		const serial = newSerial(at);
		const inserted = tx
			.insert(certificates)
			.values({
				serial,
				userId,
				courseId,
				...row,
				officeName: row.officeName ?? '',
				completedOn: shanghaiDay(at),
				issuedAt: at
			})
			.onConflictDoNothing({ target: certificates.serial })
			.run();
		if (inserted.changes) return serial;
	}
}

export function getCertificate(db: Queryable, serial: string) {
	return db.select().from(certificates).where(eq(certificates.serial, serial.trim().toUpperCase())).get();
}

/**
 * A certificate, if the viewer may see it whole: its owner, the admins of the owner's office
 * (and above) and the sysadmin. To anyone else it does not exist.
 */
export function viewableCertificate(db: Queryable, viewer: Actor, serial: string) {
	const cert = getCertificate(db, serial);
	if (!cert) return undefined;
	if (cert.userId === viewer.id || viewer.role === 'sysadmin') return cert;
	const owner = userOffice(db, cert.userId);
	return owner && canManageOffice(db, viewer, owner.officeId) ? cert : undefined;
}

/** What the public verification page may show: name, course, hours and date only. */
export function verifyCertificate(db: Queryable, serial: string) {
	const c = getCertificate(db, serial);
	return c
		? {
				serial: c.serial,
				name: c.name,
				courseTitle: c.courseTitle,
				hours: c.hours,
				completedOn: c.completedOn
			}
		: null;
}

export function certificatesOf(db: Queryable, userId: number) {
	return db.select().from(certificates).where(eq(certificates.userId, userId)).all();
}
