// Durable storage for the emulator: a snapshot plus an append-only write-ahead log.
// Every acknowledged write is one writeSync'd line, so it survives a kill -9 of the process.
import * as fs from 'fs';
import * as path from 'path';

/** A stored document: `_id` plus anything JSON-like (Dates kept as Dates). */
export type Doc = { _id: string } & Record<string, unknown>;
/** One change: put a document or (doc null) delete it. */
export type Change = [collection: string, id: string, doc: Doc | null];

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? { $date: raw.getTime() } : value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (typeof o.$date === 'number' && Object.keys(o).length === 1) return new Date(o.$date);
  }
  return value;
}

/** Serializes a value so Dates survive a round trip. */
export const encode = (v: unknown): string => JSON.stringify(v, replacer);
/** Parses what `encode` wrote. */
export const decode = (s: string): unknown => JSON.parse(s, reviver);

/** File-backed storage in one directory; `null` dir keeps everything in memory. */
export class Storage {
  private fd: number | null = null;
  constructor(private readonly dir: string | null) {}

  /** Loads snapshot + log into `apply`, then compacts the log into a new snapshot. */
  load(apply: (c: Change) => void, dump: () => Iterable<Change>): void {
    if (!this.dir) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const snap = path.join(this.dir, 'snapshot.jsonl');
    const wal = path.join(this.dir, 'wal.jsonl');
    for (const file of [snap, wal]) {
      if (!fs.existsSync(file)) continue;
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (!line) continue;
        let changes: Change[];
        // A torn last line (killed mid-write, before the ack) is dropped, as a lost unacknowledged write.
        try {
          changes = decode(line) as Change[];
        } catch {
          continue;
        }
        for (const c of changes) apply(c);
      }
    }
    this.writeSnapshot(dump());
  }

  /** Replaces all content with `changes` (used by seeding and compaction). */
  writeSnapshot(all: Iterable<Change>): void {
    if (!this.dir) return;
    if (this.fd !== null) fs.closeSync(this.fd);
    const snap = path.join(this.dir, 'snapshot.jsonl');
    const tmp = snap + '.tmp';
    const out = fs.openSync(tmp, 'w');
    let batch: Change[] = [];
    const flush = () => {
      if (batch.length) fs.writeSync(out, encode(batch) + '\n');
      batch = [];
    };
    for (const c of all) {
      batch.push(c);
      if (batch.length >= 500) flush();
    }
    flush();
    fs.fsyncSync(out);
    fs.closeSync(out);
    fs.renameSync(tmp, snap);
    this.fd = fs.openSync(path.join(this.dir, 'wal.jsonl'), 'w');
  }

  /** Appends one atomic batch of changes; returns once the OS has it. */
  append(changes: Change[]): void {
    if (this.fd === null || changes.length === 0) return;
    fs.writeSync(this.fd, encode(changes) + '\n');
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
