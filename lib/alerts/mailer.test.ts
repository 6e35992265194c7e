import net, { type AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { afterEach, describe, expect, it } from "vitest";
import { sendAlertMail, smtpServerName } from "@/lib/alerts/mailer";

const PASSWORD = "s3cret-Pa55word";
const servers: { close: (cb: () => void) => void }[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((resolve) => s.close(resolve));
});

const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });

/** A local SMTP server; `received` fills with every parsed message. */
async function smtp(options: Partial<SMTPServerOptions> = {}) {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          cb();
        })
        .catch(cb);
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  const port = (server.server.address() as AddressInfo).port;
  return { port, received };
}

const message = { subject: "[Zoho console] Test alert", text: "Plain body\n", html: "<p>HTML body</p>" };
const send = (smtpUrl: string, to = ["ops@acme.example", "oncall@acme.example"], timeoutMs?: number) =>
  sendAlertMail({ smtpUrl, from: "Zoho OAuth Console <console@acme.example>", to, message, timeoutMs });

describe("sendAlertMail", () => {
  it("delivers subject, text, html and recipients", async () => {
    const { port, received } = await smtp();
    const outcome = await send(`smtp://127.0.0.1:${port}`);
    expect(outcome).toMatchObject({ kind: "delivered", status: 250, responseHead: expect.stringMatching(/^250 /) });
    expect(received).toHaveLength(1);
    const mail = received[0];
    expect(mail.subject).toBe(message.subject);
    expect(mail.text).toBe(message.text);
    expect(mail.html).toContain("<p>HTML body</p>");
    const to = Array.isArray(mail.to) ? mail.to : [mail.to!];
    expect(to.flatMap((a) => a.value.map((v) => v.address))).toEqual(["ops@acme.example", "oncall@acme.example"]);
    expect(mail.from?.value[0].address).toBe("console@acme.example");
  });

  it("says who was refused when only some recipients were", async () => {
    const { port } = await smtp({
      onRcptTo: (address, _s, cb) => cb(address.address.startsWith("gone") ? smtpError("No such user", 550) : null),
    });
    const outcome = await send(`smtp://127.0.0.1:${port}`, ["ops@acme.example", "gone@acme.example"]);
    expect(outcome).toMatchObject({ kind: "delivered", responseHead: expect.stringContaining("refused: gone@acme.example") });
  });

  it("gives up (final) when the server rejects the recipients with 550", async () => {
    const { port, received } = await smtp({ onRcptTo: (_a, _s, cb) => cb(smtpError("Mailbox unavailable", 550)) });
    const outcome = await send(`smtp://127.0.0.1:${port}`);
    expect(outcome).toMatchObject({ kind: "final", status: 550 });
    if (outcome.kind !== "delivered") expect(outcome.error).toMatch(new RegExp(`^the SMTP server at 127\\.0\\.0\\.1:${port} refused the message: 550`));
    expect(received).toHaveLength(0);
  });

  it("retries when the server answers 451", async () => {
    const { port } = await smtp({ onRcptTo: (_a, _s, cb) => cb(smtpError("Try again later", 451)) });
    expect(await send(`smtp://127.0.0.1:${port}`)).toMatchObject({ kind: "retry", status: 451 });
  });

  it("retries with a plain message when nothing listens", async () => {
    const port = await freePort();
    const outcome = await send(`smtp://127.0.0.1:${port}`);
    expect(outcome).toMatchObject({ kind: "retry", error: `could not reach the SMTP server at 127.0.0.1:${port}: connection refused` });
  });

  it("retries when the server never greets, within the timeout", async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    servers.push({ close: (cb) => { silent.close(() => cb()); } });
    const port = (silent.address() as AddressInfo).port;
    const started = Date.now();
    const outcome = await send(`smtp://127.0.0.1:${port}`, undefined, 300);
    expect(outcome).toMatchObject({ kind: "retry", error: `could not reach the SMTP server at 127.0.0.1:${port}: no answer within 0.3 s` });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("never shows the SMTP password, even when the server echoes it", async () => {
    const { port } = await smtp({
      onAuth: (auth, _s, cb) => cb(smtpError(`Invalid login for ${auth.username} with ${auth.password}`, 535)),
    });
    const url = (p: number) => `smtp://alerts:${encodeURIComponent(PASSWORD)}@127.0.0.1:${p}`;
    const outcomes = [await send(url(port)), await send(url(await freePort())), await send(`smtp://alerts:${PASSWORD}@no-such-host.invalid:25`, undefined, 2_000)];
    expect(outcomes.map((o) => o.kind)).toEqual(["final", "retry", "retry"]);
    expect(outcomes[0]).toMatchObject({ status: 535, error: expect.stringContaining("refused the login") });
    for (const o of outcomes) expect(JSON.stringify(o)).not.toContain(PASSWORD);
  });

  it("refuses a URL that is not smtp:// or smtps:// without echoing it", async () => {
    const outcome = await send(`https://alerts:${PASSWORD}@mail.example.com`);
    expect(outcome.kind).toBe("final");
    expect(JSON.stringify(outcome)).not.toContain(PASSWORD);
  });
});

describe("smtpServerName", () => {
  it("names host and port, never the credentials", () => {
    expect(smtpServerName(`smtps://alerts:${PASSWORD}@mail.example.com`)).toBe("mail.example.com:465");
    expect(smtpServerName(`smtp://alerts:${PASSWORD}@mail.example.com:2525`)).toBe("mail.example.com:2525");
    expect(smtpServerName("smtp://mail.example.com")).toBe("mail.example.com:587");
    expect(smtpServerName(`not a url ${PASSWORD}`)).not.toContain(PASSWORD);
  });
});

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
