// The staff realtime socket (server/src/platform/realtime.ts): one per tab, shared by every
// feature that wants live events. Subscriptions survive reconnects; after one, listeners get a
// 'resync' so they re-read what they show (events sent while disconnected are not replayed).
import { useEffect, useRef, useState } from 'react';

export type RealtimeEvent = { type: string } & Record<string, unknown>;
type Listener = (event: RealtimeEvent, topic: string) => void;

class StaffSocket {
  private ws: WebSocket | null = null;
  private topics = new Map<string, Set<Listener>>();
  private frameListeners = new Set<(frame: RealtimeEvent) => void>();
  private retry = 0;
  private stopped = true;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private users = 0;
  connected = false;
  private statusListeners = new Set<(up: boolean) => void>();

  acquire() {
    this.users++;
    if (this.stopped) {
      this.stopped = false;
      this.open();
    }
  }
  release() {
    this.users--;
    if (this.users > 0) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close();
    this.ws = null;
  }
  private open() {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/realtime`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 0;
      this.setConnected(true);
      for (const topic of this.topics.keys()) if (!isAutomatic(topic)) ws.send(JSON.stringify({ type: 'subscribe', topic }));
      for (const l of this.frameListeners) l({ type: 'open' });
    };
    ws.onmessage = (ev) => {
      const frame = JSON.parse(String(ev.data)) as RealtimeEvent;
      if (frame.type === 'event') {
        const topic = String(frame.topic);
        for (const l of this.topics.get(topic) ?? []) l(frame.event as RealtimeEvent, topic);
      }
      for (const l of this.frameListeners) l(frame);
    };
    ws.onclose = () => {
      if (this.ws === ws) this.ws = null;
      this.setConnected(false);
      if (this.stopped) return;
      this.retry = Math.min(this.retry + 1, 6);
      this.timer = setTimeout(() => this.open(), 300 * 2 ** (this.retry - 1));
    };
  }
  private setConnected(up: boolean) {
    this.connected = up;
    for (const l of this.statusListeners) l(up);
  }
  onStatus(l: (up: boolean) => void) {
    this.statusListeners.add(l);
    return () => void this.statusListeners.delete(l);
  }
  send(frame: unknown) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }
  onFrame(l: (frame: RealtimeEvent) => void) {
    this.frameListeners.add(l);
    return () => void this.frameListeners.delete(l);
  }
  subscribe(topic: string, l: Listener) {
    let set = this.topics.get(topic);
    if (!set) {
      this.topics.set(topic, (set = new Set()));
      if (!isAutomatic(topic)) this.send({ type: 'subscribe', topic });
    }
    set.add(l);
    return () => {
      set!.delete(l);
      if (!set!.size) {
        this.topics.delete(topic);
        if (!isAutomatic(topic)) this.send({ type: 'unsubscribe', topic });
      }
    };
  }
}

// Every staff socket follows these without asking.
const isAutomatic = (topic: string) => topic === 'agents' || topic.startsWith('user:');

export const staffSocket = new StaffSocket();

/** Keeps the socket open while a component that needs it is mounted; returns whether it is up. */
export function useStaffSocket() {
  const [up, setUp] = useState(staffSocket.connected);
  useEffect(() => {
    staffSocket.acquire();
    const off = staffSocket.onStatus(setUp);
    return () => {
      off();
      staffSocket.release();
    };
  }, []);
  return up;
}

export function useTopic(topic: string | null, listener: Listener) {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => {
    if (!topic) return;
    return staffSocket.subscribe(topic, (e, tp) => ref.current(e, tp));
  }, [topic]);
}
