import { config } from "./config";

// Served over https, browsers are told to stay on https (the public URL decides, since TLS
// usually ends at a proxy in front of the console).
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

export const wantsStrictTransport = () => config().CONSOLE_PUBLIC_URL.startsWith("https://");
