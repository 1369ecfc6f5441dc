/**
 * ERP ids seen in pass 1, in typed-array chunks (12 bytes a row while reading, no doubling copies), sorted
 * once at the end with the native numeric sort: that finds every duplicate, and the lines of the rows
 * holding it are then collected from the chunks. What is kept afterwards is the sorted table of the ids
 * that will be sent (8 bytes a row), for the dry run's lookups.
 */

export interface Duplicate {
  id: number;
  /** Lines of the rows holding the id, in file order. */
  lines: number[];
}

const CHUNK = 65_536;

export class IdIndex {
  private idChunks: Float64Array[] = [];
  private lineChunks: Uint32Array[] = [];
  private n = 0;
  /** After seal(): the ids that will be sent, ascending, each once. */
  sortedIds = new Float64Array(0);

  get size(): number {
    return this.n;
  }

  add(id: number, line: number): void {
    const k = Math.floor(this.n / CHUNK);
    if (k === this.idChunks.length) {
      this.idChunks.push(new Float64Array(CHUNK));
      this.lineChunks.push(new Uint32Array(CHUNK));
    }
    const i = this.n % CHUNK;
    (this.idChunks[k] as Float64Array)[i] = id;
    (this.lineChunks[k] as Uint32Array)[i] = line;
    this.n += 1;
  }

  /**
   * Sorts, reports duplicates (with every line, in file order), and keeps one entry per id: with
   * `lastWins` the id stays (its last row is sent), otherwise a duplicated id is dropped (all its rows
   * are invalid).
   */
  seal(lastWins: boolean, onDuplicate: (d: Duplicate) => void): void {
    const n = this.n;
    const sorted = new Float64Array(n);
    this.idChunks.forEach((c, k) => sorted.set(k === this.idChunks.length - 1 ? c.subarray(0, n - k * CHUNK) : c, k * CHUNK));
    sorted.sort();
    const repeated = new Set<number>();
    let m = 0;
    for (let i = 0; i < n; i++) {
      const id = sorted[i] as number;
      if (i > 0 && sorted[i - 1] === id) {
        repeated.add(id);
        continue;
      }
      sorted[m++] = id;
    }
    if (repeated.size > 0) {
      const lines = new Map<number, number[]>();
      for (let i = 0; i < n; i++) {
        const id = (this.idChunks[Math.floor(i / CHUNK)] as Float64Array)[i % CHUNK] as number;
        if (!repeated.has(id)) continue;
        const line = (this.lineChunks[Math.floor(i / CHUNK)] as Uint32Array)[i % CHUNK] as number;
        const list = lines.get(id);
        if (list) list.push(line);
        else lines.set(id, [line]);
      }
      for (const [id, list] of lines) onDuplicate({ id, lines: list });
      if (!lastWins) {
        let w = 0;
        for (let r = 0; r < m; r++) {
          const id = sorted[r] as number;
          if (!repeated.has(id)) sorted[w++] = id;
        }
        m = w;
      }
    }
    this.sortedIds = sorted.slice(0, m);
    this.idChunks = [];
    this.lineChunks = [];
  }

  /** Position of `id` in sortedIds, or -1. */
  find(id: number): number {
    let lo = 0;
    let hi = this.sortedIds.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.sortedIds[mid] as number;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
