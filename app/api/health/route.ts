import { NextResponse } from "next/server";
import { databaseHealth } from "@/lib/health";
import { buildId, fleetHealth, instanceId } from "@/lib/instances";
import pkg from "@/package.json";

export const dynamic = "force-dynamic";

export async function GET() {
  const database = await databaseHealth();
  const ok = database.status === "ok";
  const instance = { id: instanceId(), build: buildId(), ...(ok ? await fleetHealth().catch(() => ({})) : {}) };
  return NextResponse.json(
    { status: ok ? "ok" : "degraded", version: pkg.version, instance, database, time: new Date().toISOString() },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
