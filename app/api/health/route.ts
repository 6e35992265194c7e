import { NextResponse } from "next/server";
import { databaseHealth } from "@/lib/health";
import pkg from "@/package.json";

export const dynamic = "force-dynamic";

export async function GET() {
  const database = await databaseHealth();
  const ok = database.status === "ok";
  return NextResponse.json(
    { status: ok ? "ok" : "degraded", version: pkg.version, database, time: new Date().toISOString() },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
