import { Writable } from 'node:stream';
import { waitForEvent } from './wait.js';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** The hub's JSON log lines as they are written, so a test can wait for one. */
export class LogTap {
  readonly lines: LogLine[] = [];
  private readonly listeners = new Set<(line: LogLine) => void>();
  readonly stream = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      for (const text of chunk.toString().split('\n')) {
        if (!text) continue;
        const line = JSON.parse(text) as LogLine;
        this.lines.push(line);
        for (const listener of this.listeners) listener(line);
      }
      done();
    },
  });

  /** The first line (already written or to come) whose message contains `text`. */
  next(text: string): Promise<LogLine> {
    const seen = this.lines.find((l) => l.msg.includes(text));
    if (seen) return Promise.resolve(seen);
    return waitForEvent<LogLine>(
      (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      (line) => line.msg.includes(text),
      `a log line saying '${text}'`,
    );
  }
}
