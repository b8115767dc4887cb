import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../src/lib/server/client-address';

describe('the client address of a request', () => {
	it('is the address adapter-node reports', () => {
		expect(clientAddress({ getClientAddress: () => '10.1.2.3' })).toBe('10.1.2.3');
	});

	it('is unknown (not a 500) when ADDRESS_HEADER names a header the request lacks', () => {
		const missingHeader = () => {
			throw new Error(
				'Address header was specified with ADDRESS_HEADER=x-forwarded-for but is absent from request'
			);
		};
		expect(clientAddress({ getClientAddress: missingHeader })).toBeNull();
	});
});
