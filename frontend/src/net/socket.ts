/**
 * Websocket client for /ws/v1: hello → welcome, subscribe {run_id} → graph + run_state + binary tel
 * frames, each acknowledged with ack {seq}; control messages steer a run. Telemetry goes straight into
 * the TelemetryHub (never React state); control-plane messages are passed to the listener.
 */
import type {
  Ack,
  Control,
  Error as ServerError,
  GraphLayer,
  Hello,
  RunStateMsg,
  Subscribe,
  Unsubscribe,
} from "../generated";
import type { LiveFrame } from "../wire/frame";
import { decodeFrame, FrameError } from "./frame";
import type { ActionKind } from "./api";

export type { Error as ServerError, RunStateMsg as RunStateMessage } from "../generated";

/** Where telemetry goes (the TelemetryHub): every decoded frame and the layer table of `graph`. */
export interface FrameSink {
  ingest(frame: LiveFrame): unknown;
  setGraph(layers: GraphLayer[]): void;
}

/** What the client sends on the socket (shared_schemas/ws.py, client → server). */
type ClientMessage = Hello | Subscribe | Unsubscribe | Ack | Control;

export type SocketStatus = "idle" | "connecting" | "open" | "closed";

export interface SocketListener {
  onStatus?: (status: SocketStatus) => void;
  onRunState?: (msg: RunStateMsg) => void;
  onError?: (msg: ServerError) => void;
}

export interface SocketLike {
  readyState: number;
  binaryType: string;
  send(data: string): void;
  close(code?: number): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export function defaultSocketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss" : "ws"}://${host}/ws/v1`;
}

const OPEN = 1;

export class TelemetrySocket {
  private ws: SocketLike | null = null;
  private welcomed = false;
  private owner: string | null = null;
  private runId: string | null = null;
  private queue: string[] = [];
  private retry = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  status: SocketStatus = "idle";
  /** Frames received and acknowledged on this page (for diagnostics and tests). */
  framesReceived = 0;

  constructor(
    private readonly hub: FrameSink,
    private readonly listener: SocketListener = {},
    private readonly url: () => string = defaultSocketUrl,
    private readonly makeSocket: (url: string) => SocketLike = (u) =>
      new WebSocket(u) as unknown as SocketLike,
  ) {}

  /** Watch a run (and be allowed to steer it with `owner`); reconnects until `close()`. */
  watch(runId: string, owner: string | null): void {
    const ownerChanged = owner !== this.owner;
    this.owner = owner;
    if (this.runId && this.runId !== runId && this.welcomed)
      this.sendNow({ type: "unsubscribe", v: 1, run_id: this.runId });
    this.runId = runId;
    this.stopped = false;
    if (!this.ws || ownerChanged) {
      this.reconnect();
    } else if (this.welcomed) {
      this.subscribe();
    }
  }

  control(action: ActionKind, extra: { steps?: number; lr?: number } = {}): boolean {
    if (!this.runId || !this.welcomed || this.ws?.readyState !== OPEN) return false;
    this.sendNow({ type: "control", v: 1, run_id: this.runId, action, ...extra });
    return true;
  }

  close(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const ws = this.ws;
    this.ws = null;
    this.welcomed = false;
    ws?.close(1000);
    this.setStatus("closed");
  }

  private setStatus(status: SocketStatus): void {
    this.status = status;
    this.listener.onStatus?.(status);
  }

  private reconnect(): void {
    const old = this.ws;
    this.ws = null;
    this.welcomed = false;
    if (old) {
      old.onclose = null;
      old.close(1000);
    }
    this.connect();
  }

  private connect(): void {
    if (this.stopped) return;
    this.setStatus("connecting");
    const ws = this.makeSocket(this.url());
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 0;
      this.sendNow({
        type: "hello",
        v: 1,
        client: "glassnet-ui/1",
        ...(this.owner ? { owner: this.owner } : {}),
      });
    };
    ws.onmessage = (ev) => this.receive(ev.data);
    ws.onerror = () => {
      /* onclose follows and schedules the retry */
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.welcomed = false;
      this.setStatus("closed");
      if (!this.stopped) {
        const delay = Math.min(8000, 250 * 2 ** this.retry++);
        this.retryTimer = setTimeout(() => this.connect(), delay);
      }
    };
  }

  private sendNow(msg: ClientMessage): void {
    const text = JSON.stringify(msg);
    if (this.ws?.readyState === OPEN) this.ws.send(text);
    else this.queue.push(text);
  }

  private subscribe(): void {
    if (!this.runId) return;
    this.sendNow({ type: "subscribe", v: 1, run_id: this.runId, max_hz: 30 });
  }

  /** Exposed for tests: handle one incoming message. */
  receive(data: unknown): void {
    if (typeof data === "string") {
      let msg: { type?: string; [k: string]: unknown };
      try {
        msg = JSON.parse(data) as typeof msg;
      } catch {
        return;
      }
      this.control_(msg);
      return;
    }
    const bytes = data instanceof ArrayBuffer ? data : ArrayBuffer.isView(data) ? (data as Uint8Array) : null;
    if (!bytes) return;
    try {
      const frame = decodeFrame(bytes);
      this.framesReceived++;
      // Acknowledge before drawing: credit-based flow control lets the server send the next, freshest frame.
      this.sendNow({ type: "ack", v: 1, seq: frame.seq, run_id: frame.run || this.runId });
      if (!this.runId || frame.run === this.runId) this.hub.ingest(frame);
    } catch (error) {
      if (error instanceof FrameError) console.warn(error.message);
      else throw error;
    }
  }

  private control_(msg: { type?: string; [k: string]: unknown }): void {
    switch (msg.type) {
      case "welcome":
        this.welcomed = true;
        this.setStatus("open");
        for (const text of this.queue.splice(0)) this.ws?.send(text);
        this.subscribe();
        break;
      case "graph":
        if (msg.run_id === this.runId) this.hub.setGraph((msg.layers as GraphLayer[]) ?? []);
        break;
      case "run_state":
        this.listener.onRunState?.(msg as unknown as RunStateMsg);
        break;
      case "error":
        this.listener.onError?.(msg as unknown as ServerError);
        break;
      default:
        break;
    }
  }
}
