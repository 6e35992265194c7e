import dns from "node:dns";
import net, { type LookupFunction } from "node:net";

// Which addresses an alert may be sent to. Kept apart from transport.ts so the classification
// (the part that decides what counts as the console's own network) can be read and tested alone.

const HINT = "alerts may only go to such hosts when CONSOLE_ALERTS_ALLOWED_HOSTS names them";

const v4ToInt = (ip: string) => ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);

function v6ToBig(ip: string): bigint {
  // A trailing dotted quad (::ffff:1.2.3.4) is the last two 16-bit words.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(ip)?.[1];
  const n4 = v4 ? v4ToInt(v4) : 0;
  const s = v4 ? `${ip.slice(0, -v4.length)}${(n4 >>> 16).toString(16)}:${(n4 & 0xffff).toString(16)}` : ip;
  const [head, tail] = s.split("::");
  const h = head ? head.split(":") : [];
  const t = tail === undefined ? null : tail ? tail.split(":") : [];
  const words = t ? [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t] : h;
  return words.reduce((n, w) => (n << 16n) | BigInt(parseInt(w, 16)), 0n);
}

type Rule = { shift: bigint; net: bigint; label: string };
const rules = (width: bigint, list: [string, string][]): Rule[] =>
  list.map(([cidr, label]) => {
    const [ip, len] = cidr.split("/");
    const shift = width - BigInt(len);
    return { shift, net: (width === 32n ? BigInt(v4ToInt(ip)) : v6ToBig(ip)) >> shift, label };
  });
const V4 = rules(32n, [
  ["0.0.0.0/8", "unspecified"], ["10.0.0.0/8", "private"], ["100.64.0.0/10", "shared (CGNAT)"],
  ["127.0.0.0/8", "loopback"], ["169.254.0.0/16", "link-local"], ["172.16.0.0/12", "private"],
  ["192.0.0.0/24", "reserved"], ["192.0.2.0/24", "reserved"], ["192.88.99.0/24", "reserved (6to4 relay)"], ["192.168.0.0/16", "private"],
  ["198.18.0.0/15", "reserved"], ["198.51.100.0/24", "reserved"], ["203.0.113.0/24", "reserved"],
  ["224.0.0.0/4", "multicast"], ["240.0.0.0/4", "reserved"],
]);
const V6 = rules(128n, [
  ["::/128", "unspecified"], ["::1/128", "loopback"], ["::/96", "reserved"], ["::ffff:0:0:0/96", "reserved"], ["64:ff9b:1::/48", "local NAT64"], ["100::/64", "reserved"],
  ["2001:db8::/32", "reserved"], ["fc00::/7", "private"], ["fe80::/10", "link-local"],
  ["fec0::/10", "reserved"], ["ff00::/8", "multicast"],
]);
const match = (n: bigint, list: Rule[]) => list.find((r) => n >> r.shift === r.net)?.label ?? null;

/** The class that forbids sending to this address, or null for an ordinary public one. */
export function addressClass(address: string): string | null {
  const ip = address.split("%")[0].toLowerCase(); // a zone id (fe80::1%eth0) is not part of the address
  const family = net.isIP(ip);
  if (family === 4) return match(BigInt(v4ToInt(ip)), V4);
  if (family !== 6) return "unrecognised";
  const n = v6ToBig(ip);
  // IPv4 wrapped in IPv6 (mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) reaches the
  // embedded IPv4 address, so that address decides.
  if (n >> 32n === 0xffffn || n >> 32n === 0x64ff9b0000000000000000n) return match(n & 0xffffffffn, V4);
  if (n >> 112n === 0x2002n) return match((n >> 80n) & 0xffffffffn, V4);
  return match(n, V6);
}

/** The sentence the admin sees when an address is refused (null: allowed); names the address and why. */
export function refusal(host: string, address: string): string | null {
  const label = addressClass(address);
  if (!label) return null;
  const what = `${label === "unspecified" ? "an" : "a"} ${label} address`;
  return host === address
    ? `refused: ${address} is ${what}; ${HINT}`
    : `refused: ${host} resolves to ${address}, ${what}; ${HINT}`;
}

/** Thrown from the look-up so postDelivery can tell a refusal (final) from a network failure (retry). */
export class AddressRefusedError extends Error {
  code = "ERR_ALERT_ADDRESS_REFUSED";
}

/** A URL's hostname as an address or name: no [brackets], no trailing dot, lower case. */
export const bareHost = (h: string) => h.trim().toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");

/**
 * The socket connects to whatever this returns, so checking here (not in a separate look-up
 * beforehand) closes the DNS-rebinding gap between "checked" and "connected". Every answer is
 * checked, not only the first, because happy-eyeballs may try any of them.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no addresses`), { code: "ENOTFOUND" }), []);
    for (const { address } of addresses) {
      const why = refusal(bareHost(hostname), address);
      if (why) return callback(new AddressRefusedError(why), []);
    }
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  });
};
