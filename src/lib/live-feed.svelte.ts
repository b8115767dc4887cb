import { onMount } from 'svelte';
import type { LiveState } from '$lib/server/live';

/**
 * The live quiz as a screen sees it: the state the page was rendered with, then
 * every new state from the Server-Sent Events stream (the browser reconnects by
 * itself), and the seconds left on the server's clock. Call during component setup.
 */
export function liveFeed(initial: () => LiveState) {
	let latest = $state<LiveState | null>(null);
	let now = $state(Date.now());
	let skew = 0;
	onMount(() => {
		const events = new EventSource(`/live/${initial().id}/events`);
		events.onmessage = (e) => {
			latest = JSON.parse(e.data) as LiveState;
			skew = latest.serverNow - Date.now();
		};
		const tick = setInterval(() => (now = Date.now() + skew), 250);
		return () => {
			events.close();
			clearInterval(tick);
		};
	});
	// Whichever is newer on the server's clock: an event, or the page data reloaded after
	// the viewer's own action (which may arrive before that action's event).
	const current = (): LiveState => {
		const loaded = initial();
		return latest && latest.serverNow >= loaded.serverNow ? latest : loaded;
	};
	return {
		get state(): LiveState {
			return current();
		},
		get secondsLeft(): number {
			const s = current();
			return s.deadline ? Math.max(0, Math.ceil((s.deadline - now) / 1000)) : 0;
		}
	};
}
