// What a subscribed phone would show for the loopback ntfy server: one notification per
// sequence id (a message's own id when it has none), the latest message of that sequence,
// minus what was cleared or deleted; a delayed message appears only once it is due, and is
// replaced by a later publish of its sequence or cancelled by a delete before then. Pure:
// the caller passes the time.

/** The fields of a message the phone view needs. */
export interface PhoneMessage {
  readonly id: string;
  readonly topic: string;
  /** Unix seconds: when the message is (or was) delivered. */
  readonly time: number;
  readonly sequenceId?: string;
}

/** The notification drawer of one phone subscribed to every topic. */
export class PhoneView<M extends PhoneMessage> {
  /** Shown notifications by topic and sequence, oldest update first. */
  readonly #shown = new Map<string, M>();
  /** Delayed messages not yet due, by topic and sequence. */
  readonly #scheduled = new Map<string, M>();

  /** A published message at `nowSecs`: shown, replacing its sequence, or scheduled. */
  publish(message: M, nowSecs: number): void {
    this.#promote(nowSecs);
    const key = keyOf(message.topic, message.sequenceId ?? message.id);
    this.#scheduled.delete(key);
    if (message.time > nowSecs) {
      this.#scheduled.set(key, message);
      return;
    }
    this.#shown.delete(key); // Re-inserted last: an update is the newest notification.
    this.#shown.set(key, message);
  }

  /** Marks a sequence read and dismisses it; a scheduled message of it still comes. */
  clear(topic: string, sequenceId: string, nowSecs: number): void {
    this.#promote(nowSecs);
    this.#shown.delete(keyOf(topic, sequenceId));
  }

  /** Removes a sequence, and cancels its scheduled message. */
  delete(topic: string, sequenceId: string, nowSecs: number): void {
    this.#promote(nowSecs);
    this.#shown.delete(keyOf(topic, sequenceId));
    this.#scheduled.delete(keyOf(topic, sequenceId));
  }

  /** The notifications shown at `nowSecs`, oldest update first. */
  notifications(nowSecs: number): M[] {
    this.#promote(nowSecs);
    return [...this.#shown.values()];
  }

  /** Forgets everything. */
  reset(): void {
    this.#shown.clear();
    this.#scheduled.clear();
  }

  /** Shows the scheduled messages that are due, in the order they fall due. */
  #promote(nowSecs: number): void {
    const due = [...this.#scheduled].filter(([, message]) => message.time <= nowSecs)
      .sort(([, a], [, b]) => a.time - b.time);
    for (const [key, message] of due) {
      this.#scheduled.delete(key);
      this.#shown.delete(key);
      this.#shown.set(key, message);
    }
  }
}

function keyOf(topic: string, sequenceId: string): string {
  return `${topic}/${sequenceId}`;
}
