// Just enough multipart/form-data to read text fields: Zoho's own SDKs post token requests this
// way. Anything malformed yields no fields rather than an exception.

export function boundaryOf(contentType: string): string | null {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = (match?.[1] ?? match?.[2] ?? "").trim();
  return boundary.length > 0 && boundary.length <= 200 ? boundary : null;
}

export function parseMultipart(body: Buffer, boundary: string): URLSearchParams {
  const fields = new URLSearchParams();
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    // "--" right after a delimiter closes the body.
    if (body.subarray(start, start + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      const name = /content-disposition:[^\r\n]*?\bname="([^"]*)"/i.exec(headers)?.[1];
      let value = part.subarray(headerEnd + 4);
      if (value.subarray(value.length - 2).toString() === "\r\n") value = value.subarray(0, value.length - 2);
      if (name !== undefined) fields.append(name, value.toString("utf8"));
    }
    pos = next;
  }
  return fields;
}
