/**
 * The address a request came from, or null when it cannot be told: adapter-node throws when
 * ADDRESS_HEADER names a header the request lacks (a proxy misconfigured, or a request that
 * bypassed it). Login limits and the audit log then go on without an address instead of a 500.
 */
export function clientAddress(event: { getClientAddress: () => string }): string | null {
	try {
		return event.getClientAddress();
	} catch {
		return null;
	}
}
