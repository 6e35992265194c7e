import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { getDb, tx } from "@/db/client";
import { nowMs, skipLocked } from "@/db/dialect";
import { alertAttempts, alertDeliveries, alertDestinations, alertEvents } from "@/db/schema";
import { recordAudit, systemActor } from "@/lib/audit";
import { config } from "@/lib/config";
import { errorText, log } from "@/lib/log";
import { metrics } from "@/lib/metrics/registry";
import { decryptSecret, secretPlace } from "@/lib/secrets";
import { instanceId } from "@/lib/instances";
import type { AlertPayload } from "./events";
import { sendAlertMail } from "./mailer";
import { onEventWritten } from "./outbox";
import { emailMessage } from "./render-email";
import { slackMessage } from "./render-slack";
import { givesUp, nextAttemptDelayMs } from "./retry";
import { signedHeaders } from "./signing";
import { postDelivery, type DeliveryOutcome } from "./transport";

/**
 * Sends what the outbox holds. Any number of console instances run this at once: a delivery is
 * claimed with a lease (SKIP LOCKED on PostgreSQL) before it is sent, so exactly one instance
 * sends each attempt, and a claim whose instance died runs out and is taken over. Nothing is
 * sent inside a transaction: the claim commits first, the result is written after.
 */

/**
 * Longer than one send can take (10 s per request, 30 s for a whole e-mail), so a live claim is
 * never taken over; each claim holds only what is sent at once, so no delivery waits its turn
 * inside a claim that could run out.
 */
const CLAIM_TTL_MS = 60_000;
const CONCURRENCY = 4;
const BATCH = CONCURRENCY;
/** A whole SMTP conversation, however its stages are timed. */
const MAIL_TIMEOUT_MS = 30_000;
/** A run of failures ends when this passes without one (the retries' longest pause is an hour). */
const RUN_GAP_MS = 24 * 60 * 60_000;
const POLL_MS = 2_000;
/** A destination failing this long without one success is paused, with a notice and an audit row. */
export const PAUSE_AFTER_MS = 3 * 24 * 60 * 60_000;

type Claimed = { id: number };

/**
 * Claims up to `limit` due deliveries of destinations that are on and not paused, for `owner`;
 * `onlyId` (Send test) takes that one delivery even from a paused destination.
 */
export async function claimDueDeliveries(owner: string, limit = BATCH, onlyId?: number): Promise<number[]> {
  const d = alertDeliveries;
  const dest = alertDestinations;
  const due = sql`select ${d.id} from ${d} join ${dest} on ${dest.id} = ${d.destinationRef}
    where ${d.state} = 'pending' and ${d.nextAttemptAt} <= ${nowMs()}
      and (${d.claimExpiresAt} is null or ${d.claimExpiresAt} <= ${nowMs()})
      and ${dest.enabled} = true
      ${onlyId !== undefined ? sql`and ${d.id} = ${onlyId}` : sql`and ${dest.pausedAt} is null`}
    order by ${d.nextAttemptAt} limit ${limit} ${skipLocked(d)}`;
  const rows: Claimed[] = await getDb()
    .update(d)
    .set({ claimedBy: owner, claimExpiresAt: sql`${nowMs()} + ${CLAIM_TTL_MS}` })
    .where(sql`${d.id} in (${due})`)
    .returning({ id: d.id });
  return rows.map((r) => r.id);
}

async function loadClaimed(id: number, owner: string) {
  const [row] = await getDb()
    .select({ delivery: alertDeliveries, event: alertEvents, dest: alertDestinations })
    .from(alertDeliveries)
    .innerJoin(alertEvents, eq(alertEvents.id, alertDeliveries.eventRef))
    .innerJoin(alertDestinations, eq(alertDestinations.id, alertDeliveries.destinationRef))
    .where(and(eq(alertDeliveries.id, id), eq(alertDeliveries.claimedBy, owner)));
  return row;
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadClaimed>>>;

/** One attempt at the destination; never throws for the destination's failures. */
async function attempt({ event, dest }: Loaded): Promise<DeliveryOutcome> {
  const payload = event.payload as unknown as AlertPayload;
  const allowedHosts = config().CONSOLE_ALERTS_ALLOWED_HOSTS;
  if (dest.kind === "email") {
    const smtpUrl = config().SMTP_URL;
    if (!smtpUrl) return { kind: "retry", latencyMs: 0, error: "SMTP_URL is not set: e-mail cannot be sent until it is (the delivery waits and retries)." };
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<DeliveryOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: "retry", latencyMs: MAIL_TIMEOUT_MS, error: `the SMTP server did not finish within ${MAIL_TIMEOUT_MS / 1000} s` }), MAIL_TIMEOUT_MS);
    });
    const sent = sendAlertMail({ smtpUrl, from: config().SMTP_FROM, to: dest.emails, message: emailMessage(payload) });
    return Promise.race([sent, cap]).finally(() => clearTimeout(timer));
  }
  if (!dest.urlEnc) return { kind: "final", latencyMs: 0, error: "The destination has no URL." };
  const url = decryptSecret(dest.urlEnc, secretPlace.alertUrl(dest.id));
  if (dest.kind === "slack") {
    return postDelivery({ url, body: JSON.stringify(slackMessage(payload)), headers: { "content-type": "application/json" }, allowedHosts });
  }
  const body = JSON.stringify(payload);
  const secrets = [decryptSecret(dest.secretEnc!, secretPlace.alertSecret(dest.id))];
  // During a rotation the old secret signs too, so receivers not yet switched still verify.
  if (dest.previousSecretEnc && dest.previousSecretUntil && dest.previousSecretUntil.getTime() > Date.now()) {
    secrets.push(decryptSecret(dest.previousSecretEnc, secretPlace.alertPreviousSecret(dest.id)));
  }
  return postDelivery({ url, body, headers: { "content-type": "application/json", ...signedHeaders(secrets, event.publicId, new Date(), body) }, allowedHosts });
}

async function record(loaded: Loaded, outcome: DeliveryOutcome, owner: string, at: number) {
  const { delivery, dest } = loaded;
  const first = delivery.firstAttemptAt?.getTime() ?? at;
  const attempts = delivery.attempts + 1;
  let state: "pending" | "delivered" | "failed" = outcome.kind === "delivered" ? "delivered" : "failed";
  let next = delivery.nextAttemptAt.getTime();
  if (outcome.kind === "retry") {
    next = at + nextAttemptDelayMs(attempts, outcome.retryAfterMs);
    if (!givesUp(first, next)) state = "pending";
  }
  const error = outcome.kind === "delivered" ? null : state === "failed" && outcome.kind === "retry" ? `${outcome.error} (gave up after 24 hours of retries)` : outcome.error;
  let paused = false;
  const kept = await tx(async (db) => {
    // Written only while this sender still holds the claim: one that ran out was taken over, and
    // the delivery's record is the new holder's to write.
    const held = await db
      .update(alertDeliveries)
      .set({
        state,
        attempts,
        firstAttemptAt: new Date(first),
        nextAttemptAt: new Date(next),
        lastStatus: outcome.status ?? null,
        lastError: error,
        lastLatencyMs: outcome.latencyMs,
        lastResponseHead: outcome.responseHead ?? null,
        deliveredAt: outcome.kind === "delivered" ? new Date(at) : null,
        claimedBy: null,
        claimExpiresAt: null,
      })
      .where(and(eq(alertDeliveries.id, delivery.id), eq(alertDeliveries.claimedBy, owner)))
      .returning({ id: alertDeliveries.id });
    if (held.length === 0) return false;
    await db.insert(alertAttempts).values({
      deliveryRef: delivery.id,
      at: new Date(at),
      outcome: outcome.kind,
      status: outcome.status ?? null,
      latencyMs: outcome.latencyMs,
      error,
      responseHead: outcome.responseHead ?? null,
    });
    const dst = alertDestinations;
    if (outcome.kind === "delivered") {
      await db.update(dst).set({ failingSince: null, lastFailureAt: null }).where(eq(dst.id, dest.id));
      return true;
    }
    // A run of failures: it starts again after a day without one, so a single failure long after
    // the last never counts as days of failing.
    const [now] = await db
      .update(dst)
      .set({
        failingSince: sql`case when ${dst.failingSince} is null or ${dst.lastFailureAt} is null or ${dst.lastFailureAt} < ${at - RUN_GAP_MS} then ${at} else ${dst.failingSince} end`,
        lastFailureAt: new Date(at),
      })
      .where(eq(dst.id, dest.id))
      .returning({ failingSince: dst.failingSince, pausedAt: dst.pausedAt });
    if (now && !now.pausedAt && now.failingSince && at - now.failingSince.getTime() >= PAUSE_AFTER_MS) {
      const reason = `Every delivery failed for 3 days (last: ${error}). Fix the receiver, then resume.`;
      await db.update(dst).set({ pausedAt: new Date(at), pauseReason: reason }).where(eq(dst.id, dest.id));
      await recordAudit({ actor: systemActor, action: "alert.destination_pause", target: { type: "alert_destination", id: dest.id }, outcome: "failure", detail: { name: dest.name, reason } }, new Date(at), db);
      paused = true;
    }
    return true;
  });
  if (!kept) {
    log("alerts").warn({ delivery: delivery.id }, "alert delivery's claim ran out while sending; its record is left to the instance that took it over");
    return { state, error, next, lost: true };
  }
  metrics().alertDeliveries.inc({ kind: dest.kind, outcome: state === "pending" ? "retry" : state });
  if (paused) log("alerts").warn({ destination: dest.id }, "alert destination paused after failing for 3 days");
  return { state, error, next, lost: false };
}

/** Sends one claimed delivery and records the attempt. */
async function sendClaimed(id: number, owner: string) {
  const loaded = await loadClaimed(id, owner);
  if (!loaded) return undefined;
  const outcome = await attempt(loaded).catch(
    (e): DeliveryOutcome => ({ kind: "retry", latencyMs: 0, error: `The console failed to send: ${errorText(e)}` }),
  );
  const written = await record(loaded, outcome, owner, Date.now());
  return { outcome, ...written };
}

/** One pass: claims due deliveries and sends them, a few at a time; returns how many were sent. */
export async function dispatchOnce(owner = `${instanceId()}:${randomUUID().slice(0, 8)}`): Promise<number> {
  let sent = 0;
  for (;;) {
    const ids = await claimDueDeliveries(owner, BATCH);
    if (ids.length === 0) return sent;
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++];
        try {
          await sendClaimed(id, owner);
        } catch (e) {
          log("alerts").error({ delivery: id, error: errorText(e) }, "alert delivery failed to record");
        }
        sent++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }
}

/** Sends one delivery now (Send test): the result as the person pressing the button sees it. */
export async function deliverNow(deliveryId: number) {
  const owner = `${instanceId()}:now:${randomUUID().slice(0, 8)}`;
  const [id] = await claimDueDeliveries(owner, 1, deliveryId);
  if (id === undefined) return undefined;
  return sendClaimed(id, owner);
}

const holder = globalThis as unknown as { __alertDispatcher?: { timer: NodeJS.Timeout; running: boolean; again: boolean } };

/** Starts this process's dispatcher: a poll every 2 s, and a pass soon after an event is written here. */
export function startDispatcher() {
  if (holder.__alertDispatcher) return;
  const state = { timer: undefined as unknown as NodeJS.Timeout, running: false, again: false };
  const run = async () => {
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    try {
      do {
        state.again = false;
        await dispatchOnce();
      } while (state.again);
    } catch (e) {
      log("alerts").error({ error: errorText(e) }, "alert dispatch pass failed");
    } finally {
      state.running = false;
    }
  };
  state.timer = setInterval(() => void run(), POLL_MS);
  state.timer.unref();
  onEventWritten(() => void run());
  holder.__alertDispatcher = state;
}
