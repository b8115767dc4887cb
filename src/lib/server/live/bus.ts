import cluster from 'node:cluster';
import { EventEmitter } from 'node:events';

// Tells every open event stream of a live quiz that its state changed. The app may run
// as several processes (scripts/serve.js): an event is emitted here and sent to the
// primary, which passes it to the other workers, which emit it to their own streams.
const bus = new EventEmitter();
bus.setMaxListeners(0);
const RELAY = 'xuexi:relay';

if (cluster.isWorker) {
	process.on('message', (message: { type?: string; liveId?: number }) => {
		if (message?.type === RELAY && typeof message.liveId === 'number') bus.emit(`live:${message.liveId}`);
	});
}

export function publish(liveId: number): void {
	bus.emit(`live:${liveId}`);
	if (cluster.isWorker) process.send?.({ type: RELAY, liveId });
}

export function subscribe(liveId: number, listener: () => void): () => void {
	bus.on(`live:${liveId}`, listener);
	return () => bus.off(`live:${liveId}`, listener);
}
