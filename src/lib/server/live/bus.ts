import { EventEmitter } from 'node:events';

// One process serves the app (adapter-node), so an in-memory bus is enough to tell
// every open event stream of a live quiz that its state changed.
const bus = new EventEmitter();
bus.setMaxListeners(0);

export function publish(liveId: number): void {
	bus.emit(`live:${liveId}`);
}

export function subscribe(liveId: number, listener: () => void): () => void {
	bus.on(`live:${liveId}`, listener);
	return () => bus.off(`live:${liveId}`, listener);
}
