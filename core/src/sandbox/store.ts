/**
 * The sandbox's series: in memory, and in a JSON file when one is given,
 * written atomically (a temporary file renamed over the old one) so a crash
 * never leaves half a file.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface StoredSeries {
  id: number;
  seriesCode: string;
  orgId: number;
  /** The request fields as last sent (dates already in UTC `Z`), without id / seriesCode / orgId. */
  fields: Record<string, unknown>;
  createdOn: string;
  lastModifiedOn: string;
  numIssued: number;
  numRedeemed: number;
}

interface StoreFile {
  nextId: number;
  series: StoredSeries[];
}

const FIRST_SERIES_ID = 1001;

export class SeriesStore {
  private writes: Promise<void> = Promise.resolve();
  private writeCount = 0;

  private constructor(
    private readonly dataFile: string | undefined,
    private nextId: number,
    private readonly series: Map<number, StoredSeries>,
  ) {}

  /** Loads `dataFile` when it exists; a file that is not the sandbox's JSON is an error, never overwritten. */
  static async open(dataFile?: string): Promise<SeriesStore> {
    if (!dataFile) return new SeriesStore(undefined, FIRST_SERIES_ID, new Map());
    let text: string;
    try {
      text = await readFile(dataFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return new SeriesStore(dataFile, FIRST_SERIES_ID, new Map());
    }
    let parsed: StoreFile;
    try {
      parsed = JSON.parse(text) as StoreFile;
      if (!Number.isInteger(parsed.nextId) || !Array.isArray(parsed.series)) throw new Error('missing "nextId" or "series"');
    } catch (error) {
      throw new Error(`The sandbox data file ${dataFile} is not sandbox data (${(error as Error).message}): move it away or choose another file.`);
    }
    return new SeriesStore(dataFile, parsed.nextId, new Map(parsed.series.map((series) => [series.id, series])));
  }

  get count(): number {
    return this.series.size;
  }

  get(id: number): StoredSeries | undefined {
    const found = this.series.get(id);
    return found && structuredClone(found);
  }

  async add(series: Omit<StoredSeries, 'id'>): Promise<StoredSeries> {
    const stored: StoredSeries = { id: this.nextId++, ...series };
    this.series.set(stored.id, stored);
    await this.persist();
    return structuredClone(stored);
  }

  async replace(series: StoredSeries): Promise<void> {
    this.series.set(series.id, structuredClone(series));
    await this.persist();
  }

  /** Resolves when every write started so far is on disk. */
  flushed(): Promise<void> {
    return this.writes;
  }

  /** Queues a snapshot write; writes happen one at a time, in order. */
  private persist(): Promise<void> {
    const dataFile = this.dataFile;
    if (!dataFile) return Promise.resolve();
    const snapshot: StoreFile = { nextId: this.nextId, series: [...this.series.values()] };
    const temporary = `${dataFile}.${process.pid}.${++this.writeCount}.tmp`;
    const write = this.writes.then(async () => {
      await mkdir(dirname(dataFile), { recursive: true });
      await writeFile(temporary, `${JSON.stringify(snapshot, null, 2)}\n`, 'utf8');
      await rename(temporary, dataFile);
    });
    // A failed write must not block the ones after it; the caller of this one still sees the failure.
    this.writes = write.catch(() => undefined);
    return write;
  }
}
