// Transactions as CloudBase documents them (https://docs.cloudbase.net/database/transaction and the
// DATABASE_TRANSACTION_CONFLICT error page): snapshot reads, single-document operations only, a write that
// conflicts with another transaction fails at once, a plain write to a document a transaction holds waits
// until that transaction ends, and a transaction must finish within 30 s.
import { randomBytes } from 'crypto';
import { Engine } from './engine';
import { Change, Doc } from './storage';

/** How long a transaction may stay open before the server aborts it (CloudBase: 30 s). */
export const TX_LIFETIME_MS = 30_000;

/** A refusal of the transaction layer, answered with CloudBase's code. */
export class TxError extends Error {
  constructor(
    readonly code: 'DATABASE_TRANSACTION_CONFLICT' | 'INVALID_PARAM',
    message: string,
  ) {
    super(message);
  }
}

const conflict = (detail: string) =>
  new TxError('DATABASE_TRANSACTION_CONFLICT', `database transaction conflict: ${detail}`);
const keyOf = (c: string, id: string) => c + '\u0000' + id;

interface Tx {
  id: string;
  startSeq: number;
  writes: Map<string, Change>;
  state: 'active' | 'aborted' | 'committed';
  reason: string;
  timer: NodeJS.Timeout;
}

interface Version {
  seq: number;
  doc: Doc | null;
}

/** Open transactions, their locks, and the old versions their snapshots still need. */
export class TxManager {
  private readonly txs = new Map<string, Tx>();
  private readonly active = new Set<Tx>();
  private readonly locks = new Map<string, Tx>();
  private readonly history = new Map<string, Version[]>();
  private readonly waiters = new Map<string, (() => void)[]>();
  private ended = 0;

  constructor(private readonly engine: Engine) {
    engine.observer = (changes, previous, seqOf) => {
      if (this.active.size === 0) return;
      changes.forEach(([c, id], i) => {
        const k = keyOf(c, id);
        let list = this.history.get(k);
        if (!list) {
          list = [];
          this.history.set(k, list);
        }
        list.push({ seq: seqOf(k), doc: previous[i] ?? null });
      });
    };
  }

  /** `database.startTransaction`: a new transaction whose snapshot is the database as of now. */
  start(): string {
    const id = randomBytes(12).toString('hex');
    const tx: Tx = {
      id,
      startSeq: this.engine.currentSeq(),
      writes: new Map(),
      state: 'active',
      reason: '',
      timer: null!,
    };
    tx.timer = setTimeout(() => this.end(tx, 'aborted', 'transaction timed out after 30 s'), TX_LIFETIME_MS);
    tx.timer.unref();
    this.txs.set(id, tx);
    this.active.add(tx);
    return id;
  }

  private open(id: string): Tx {
    const tx = this.txs.get(id);
    if (!tx) throw new TxError('INVALID_PARAM', `transaction ${id} does not exist`);
    if (tx.state === 'aborted') throw conflict(`transaction was aborted (${tx.reason})`);
    if (tx.state === 'committed') throw new TxError('INVALID_PARAM', 'transaction already committed');
    return tx;
  }

  // The committed document as of the transaction's snapshot.
  private snapshot(tx: Tx, k: string, c: string, id: string): Doc | null {
    if (this.engine.seqOf(k) <= tx.startSeq) return this.engine.peek(c, id) ?? null;
    const list = this.history.get(k) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const version = list[i];
      if (version && version.seq <= tx.startSeq) return version.doc;
    }
    return null;
  }

  /** A document as the transaction sees it: its own write, else its snapshot (never another's uncommitted write). */
  read(id: string, c: string, docId: string): Doc | null {
    const tx = this.open(id);
    const k = keyOf(c, docId);
    const own = tx.writes.get(k);
    const d = own ? own[2] : this.snapshot(tx, k, c, docId);
    return d ? structuredClone(d) : null;
  }

  /**
   * A single-document write inside the transaction: `next` gets the current document and returns the new one
   * (null deletes, undefined changes nothing). Another transaction holding the document, or a commit since the
   * snapshot, fails the write at once and aborts this transaction.
   */
  write(id: string, c: string, docId: string, next: (cur: Doc | null) => Doc | null | undefined): boolean {
    const tx = this.open(id);
    const k = keyOf(c, docId);
    const holder = this.locks.get(k);
    if (holder && holder !== tx) {
      this.end(tx, 'aborted', `write conflict on ${c}/${docId}`);
      throw conflict(`${c}/${docId} is being changed by another transaction`);
    }
    if (!tx.writes.has(k) && this.engine.seqOf(k) > tx.startSeq) {
      this.end(tx, 'aborted', `write conflict on ${c}/${docId}`);
      throw conflict(`${c}/${docId} changed after the transaction started`);
    }
    const cur = this.read(id, c, docId);
    const doc = next(cur);
    if (doc === undefined) return false;
    this.locks.set(k, tx);
    tx.writes.set(k, [c, docId, doc]);
    return true;
  }

  /** Applies every write at once (unique indexes checked by the engine), then releases the locks. */
  commit(id: string): void {
    const tx = this.open(id);
    try {
      this.engine.commit([...tx.writes.values()]);
      this.end(tx, 'committed', '');
    } catch (e) {
      this.end(tx, 'aborted', 'commit failed');
      throw e;
    }
  }

  /** `database.abortTransaction`: discards the writes; aborting an already aborted transaction is fine. */
  abort(id: string): void {
    const tx = this.txs.get(id);
    if (!tx) throw new TxError('INVALID_PARAM', `transaction ${id} does not exist`);
    if (tx.state === 'active') this.end(tx, 'aborted', 'rolled back');
  }

  /** True if an open transaction holds the document. */
  isLocked(c: string, docId: string): boolean {
    return this.locks.has(keyOf(c, docId));
  }

  /** Resolves once no open transaction holds any of the documents (a plain write waits for them). */
  async waitUnlocked(docs: [string, string][]): Promise<void> {
    for (;;) {
      const held = docs.map(([c, id]) => keyOf(c, id)).find((k) => this.locks.has(k));
      if (!held) return;
      await new Promise<void>((resolve) => {
        const list = this.waiters.get(held) ?? [];
        list.push(resolve);
        this.waiters.set(held, list);
      });
    }
  }

  private end(tx: Tx, state: 'aborted' | 'committed', reason: string): void {
    if (tx.state !== 'active') return;
    tx.state = state;
    tx.reason = reason;
    clearTimeout(tx.timer);
    this.active.delete(tx);
    for (const k of tx.writes.keys()) {
      if (this.locks.get(k) !== tx) continue;
      this.locks.delete(k);
      const wake = this.waiters.get(k);
      this.waiters.delete(k);
      wake?.forEach((w) => w());
    }
    if (state === 'aborted') tx.writes.clear();
    // Keep the id a while so late calls on it get a clear answer, then forget it.
    setTimeout(() => this.txs.delete(tx.id), TX_LIFETIME_MS).unref();
    this.prune();
  }

  // Old versions are kept only while an open transaction's snapshot may still read them.
  private prune(): void {
    if (this.active.size === 0) {
      this.history.clear();
      return;
    }
    if (++this.ended % 100 !== 0) return;
    const oldest = Math.min(...[...this.active].map((t) => t.startSeq));
    for (const [k, list] of this.history) {
      let keepFrom = 0;
      for (const [i, version] of list.entries()) if (version.seq <= oldest) keepFrom = i;
      if (keepFrom > 0) list.splice(0, keepFrom);
      if (list.length === 0) this.history.delete(k);
    }
  }

  /** Aborts everything (shutdown). */
  close(): void {
    for (const tx of [...this.active]) this.end(tx, 'aborted', 'server stopped');
  }
}
