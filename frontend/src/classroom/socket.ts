/**
 * A websocket of its own for the room: hello, then `subscribe {"room": code}`; every `room_state`
 * goes to the listener. Reconnects (with back-off) until closed, so a student's screen keeps
 * following through a server restart or a flaky classroom network.
 */
import type { RoomState } from "../generated";
import { defaultSocketUrl, type SocketLike } from "../net/socket";

export interface RoomSocketListener {
  onState: (state: RoomState) => void;
  onError?: (message: string) => void;
}

export class RoomSocket {
  private ws: SocketLike | null = null;
  private retry = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(
    private readonly code: string,
    private readonly listener: RoomSocketListener,
    private readonly url: () => string = defaultSocketUrl,
    private readonly makeSocket: (url: string) => SocketLike = (u) =>
      new WebSocket(u) as unknown as SocketLike,
  ) {
    this.connect();
  }

  private connect(): void {
    const ws = this.makeSocket(this.url());
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 0;
      ws.send(JSON.stringify({ type: "hello", v: 1, client: "glassnet-class/1" }));
      ws.send(JSON.stringify({ type: "subscribe", v: 1, room: this.code }));
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data !== "string") return;
      const msg = JSON.parse(ev.data) as { type?: string; room?: RoomState; message?: string };
      if (msg.type === "room_state" && msg.room) this.listener.onState(msg.room);
      else if (msg.type === "error" && msg.message) this.listener.onError?.(msg.message);
    };
    ws.onclose = () => {
      if (this.stopped) return;
      const delay = Math.min(5000, 250 * 2 ** this.retry++);
      this.timer = setTimeout(() => this.connect(), delay);
    };
    ws.onerror = () => undefined;
  }

  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close(1000);
    this.ws = null;
  }
}
