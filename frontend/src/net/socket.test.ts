import { describe, expect, it } from "vitest";
import { encode } from "@msgpack/msgpack";
import { TelemetryHub } from "../telemetry/hub";
import { TelemetrySocket, type SocketLike } from "./socket";

class FakeSocket implements SocketLike {
  readyState = 0;
  binaryType = "blob";
  sent: Record<string, unknown>[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  message(data: unknown) {
    this.onmessage?.({ data });
  }
}

function setup() {
  const hub = new TelemetryHub();
  const sockets: FakeSocket[] = [];
  const states: string[] = [];
  const client = new TelemetrySocket(
    hub,
    { onRunState: (m) => states.push(m.state) },
    () => "ws://test/ws/v1",
    () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
  );
  return { hub, sockets, states, client };
}

describe("TelemetrySocket", () => {
  it("says hello with the owner, subscribes after welcome and acks every frame", () => {
    const t = setup();
    t.hub.reset("r1");
    t.client.watch("r1", "tok");
    const ws = t.sockets[0]!;
    ws.open();
    expect(ws.sent[0]).toMatchObject({ type: "hello", v: 1, owner: "tok" });
    ws.message(
      JSON.stringify({
        type: "welcome",
        v: 1,
        server: "glassnet",
        credit: 4,
        max_hz: 30,
        max_message_bytes: 65536,
      }),
    );
    expect(ws.sent[1]).toMatchObject({ type: "subscribe", run_id: "r1" });
    ws.message(JSON.stringify({ type: "graph", v: 1, run_id: "r1", layers: [{ id: "h1", kind: "dense" }] }));
    expect(t.hub.graph).toEqual([{ id: "h1", kind: "dense" }]);
    ws.message(encode({ type: "tel", v: 1, run: "r1", seq: 3, step: 30, epoch: 1, loss: 0.5, layers: [] }));
    expect(ws.sent[2]).toEqual({ type: "ack", v: 1, seq: 3, run_id: "r1" });
    expect(t.hub.latest?.step).toBe(30);
    ws.message(
      JSON.stringify({ type: "run_state", v: 1, run_id: "r1", state: "paused", step: 30, epoch: 1 }),
    );
    expect(t.states).toEqual(["paused"]);
    expect(t.client.control("set_lr", { lr: 0.1 })).toBe(true);
    expect(ws.sent.at(-1)).toEqual({ type: "control", v: 1, run_id: "r1", action: "set_lr", lr: 0.1 });
  });

  it("ignores malformed messages and frames of other runs", () => {
    const t = setup();
    t.hub.reset("r1");
    t.client.watch("r1", null);
    const ws = t.sockets[0]!;
    ws.open();
    ws.message("{not json");
    ws.message(new Uint8Array([0xc1]));
    ws.message(encode({ type: "tel", v: 1, run: "r2", seq: 1, step: 1, layers: [] }));
    expect(t.hub.latest).toBeNull();
  });

  it("switches runs on the same socket with unsubscribe + subscribe", () => {
    const t = setup();
    t.client.watch("r1", "tok");
    const ws = t.sockets[0]!;
    ws.open();
    ws.message(JSON.stringify({ type: "welcome", v: 1 }));
    t.client.watch("r2", "tok");
    expect(ws.sent.slice(-2)).toEqual([
      { type: "unsubscribe", v: 1, run_id: "r1" },
      { type: "subscribe", v: 1, run_id: "r2", max_hz: 30 },
    ]);
    expect(t.sockets).toHaveLength(1);
  });
});
