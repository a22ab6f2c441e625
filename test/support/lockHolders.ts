/**
 * What a lock holder of this machine writes to be recognised as one (Linux:
 * its boot and pid namespace besides host name and pid), for tests that plant
 * other processes' locks.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

export interface MachineIdentity {
  hostname: string;
  bootId?: string;
  pidNamespace?: string;
}

function readOrUndefined(reader: () => string): string | undefined {
  try {
    return reader().trim() || undefined;
  } catch {
    return undefined;
  }
}

/** This host, this boot, this pid namespace (the ids are absent where the system has none). */
export function thisMachine(): MachineIdentity {
  const bootId = readOrUndefined(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'));
  const pidNamespace = readOrUndefined(() => readlinkSync('/proc/self/ns/pid'));
  return { hostname: hostname(), ...(bootId ? { bootId } : {}), ...(pidNamespace ? { pidNamespace } : {}) };
}

/** Whether this system has the boot and pid namespace ids (Linux's /proc). */
export function hasMachineIds(): boolean {
  const { bootId, pidNamespace } = thisMachine();
  return bootId !== undefined && pidNamespace !== undefined;
}

/** A pid no process has here (2^22 - 1, above Linux's usual pid_max). */
export const DEAD_PID = 4_194_303;
