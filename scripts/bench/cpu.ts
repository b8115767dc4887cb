// How busy the rest of the machine was during a run: on a shared 2-core machine a
// compiler or test run next door halves the numbers, so such runs are flagged.
import { readdirSync, readFileSync } from 'node:fs';

// Linux reports both in USER_HZ ticks, which is 100 on every mainstream kernel.
const TICKS_PER_SECOND = 100;

export interface CpuSnapshot {
	/** CPU seconds spent busy by the whole machine (all cores). */
	machine: number;
	/** CPU seconds spent by this process (the load generator). */
	generator: number;
	/** CPU seconds spent by the server under test. */
	server: number;
}

/** Average cores kept busy between two snapshots, by whom. */
export interface CpuLoad {
	server: number;
	generator: number;
	others: number;
}

function machineBusySeconds(): number {
	const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
	const total = fields.reduce((a, b) => a + b, 0);
	const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
	return (total - idle) / TICKS_PER_SECOND;
}

function processSeconds(pid: number): number {
	try {
		// The command name (field 2) may contain spaces; the fields after its ')' are fixed.
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(after[11]) + Number(after[12])) / TICKS_PER_SECOND; // utime, stime
	} catch {
		return 0;
	}
}

/** A process and all its descendants (the app's primary and its cluster workers). */
function treeSeconds(root: number): number {
	const parentOf = new Map<number, number>();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
		} catch {
			// exited meanwhile
		}
	}
	const inTree = (pid: number): boolean =>
		pid === root || (parentOf.has(pid) && pid > 1 && inTree(parentOf.get(pid)!));
	return [...parentOf.keys()].filter(inTree).reduce((sum, pid) => sum + processSeconds(pid), 0);
}

/** Undefined where /proc is not available (not Linux): the check is then skipped. */
export function cpuSnapshot(serverPid: number | undefined): CpuSnapshot | undefined {
	try {
		const own = process.cpuUsage();
		return {
			machine: machineBusySeconds(),
			generator: (own.user + own.system) / 1e6,
			server: serverPid === undefined ? 0 : treeSeconds(serverPid)
		};
	} catch {
		return undefined;
	}
}

export function cpuLoad(
	before: CpuSnapshot | undefined,
	after: CpuSnapshot | undefined,
	seconds: number
): CpuLoad | undefined {
	if (!before || !after || seconds <= 0) return undefined;
	const server = (after.server - before.server) / seconds;
	const generator = (after.generator - before.generator) / seconds;
	const others = Math.max(0, (after.machine - before.machine) / seconds - server - generator);
	return { server, generator, others };
}
