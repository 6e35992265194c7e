// CPU time a process has used, from /proc: on a shared machine a route's latency says how busy
// the machine was, while CPU time per request says what the route costs.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const TICKS_PER_SECOND = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** User plus system CPU time of `pid` so far, in milliseconds (resolution 1/CLK_TCK s). */
export function cpuMs(pid: number): number {
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Runs `work` and returns its result with the CPU milliseconds each process in `pids` spent meanwhile. */
export async function withCpu<T>(pids: number[], work: () => Promise<T>): Promise<{ result: T; cpu: number[] }> {
  const before = pids.map(cpuMs);
  const result = await work();
  return { result, cpu: pids.map((p, i) => cpuMs(p) - before[i]) };
}
