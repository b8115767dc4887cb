import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { hostedLive, joinedLive, liveState } from '$lib/server/live';
import { subscribe } from '$lib/server/live/bus';
import type { RequestHandler } from './$types';

/**
 * Server-Sent Events: the current state at once (so a phone that reconnects picks
 * up the current question), then a new state whenever anything changes.
 */
export const GET: RequestHandler = ({ params, locals, request }) => {
	const db = getDb();
	const user = locals.user!;
	// Its players and its hosts follow it.
	const live = joinedLive(db, user.id, Number(params.id)) ?? hostedLive(db, user, Number(params.id));
	if (!live) error(404, { message: '没有找到这场现场答题，或您无权查看' });
	const encoder = new TextEncoder();
	let cleanup = () => {};
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			const send = () => {
				try {
					controller.enqueue(encoder.encode(`data: ${JSON.stringify(liveState(db, live.id, user.id))}\n\n`));
				} catch {
					cleanup();
				}
			};
			send();
			const unsubscribe = subscribe(live.id, send);
			const heartbeat = setInterval(() => {
				try {
					controller.enqueue(encoder.encode(': keep-alive\n\n'));
				} catch {
					cleanup();
				}
			}, 20_000);
			cleanup = () => {
				unsubscribe();
				clearInterval(heartbeat);
			};
			request.signal.addEventListener('abort', () => {
				cleanup();
				try {
					controller.close();
				} catch {
					// already closed
				}
			});
		},
		cancel() {
			cleanup();
		}
	});
	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-store',
			'x-accel-buffering': 'no'
		}
	});
};
