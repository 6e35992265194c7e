import { describe, expect, it } from "vitest";
import { addressClass } from "./address-class";

describe("addressClass", () => {
  it.each([
    ["64:ff9b:1::a00:1", "local NAT64"],
    ["192.88.99.1", "reserved (6to4 relay)"],
    ["::ffff:0:102:304", "reserved"],
    ["::ffff:169.254.169.254", "link-local"],
    ["2002:a9fe:a9fe::1", "link-local"],
  ])("refuses %s (%s)", (address, label) => {
    expect(addressClass(address)).toBe(label);
  });

  it.each(["8.8.8.8", "2606:4700::1111", "64:ff9b::808:808"])("lets the public address %s through", (address) => {
    expect(addressClass(address)).toBeNull();
  });
});
