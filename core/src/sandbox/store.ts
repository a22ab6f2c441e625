/**
 * The sandbox's series, per org: in memory, and in a JSON file when one is
 * given, written atomically (a temporary file, fsynced and renamed over the
 * old one) so a crash or a full disk never leaves half a file. Ids are
 * numbered per org from 1001, so two orgs have series with the same id, as
 * two real clusters would.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { syncFolder, writeNewFile } from '../node/fileWrites';
import { isJsonObject } from '../util';

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

/** The data file: the next id of each org (keys are org ids) and every series. */
interface StoreFile {
  nextIds: Record<string, number>;
  series: StoredSeries[];
}

/** The single-org file written before orgs existed: one counter for all. */
interface LegacyStoreFile {
  nextId: number;
  series: StoredSeries[];
}

export const FIRST_SERIES_ID = 1001;

function isStoredSeries(value: unknown): value is StoredSeries {
  return isJsonObject(value) && Number.isInteger(value.id) && Number.isInteger(value.orgId) && typeof value.seriesCode === 'string' && isJsonObject(value.fields);
}

/** The file's content as the current shape; a legacy file's counter applies to each org it holds series of. */
function readStoreFile(parsed: unknown): StoreFile {
  if (!isJsonObject(parsed) || !Array.isArray(parsed.series)) throw new Error('missing "nextIds" or "series"');
  const bad = parsed.series.findIndex((series) => !isStoredSeries(series));
  if (bad >= 0) throw new Error(`series[${bad}] lacks "id", "orgId", "seriesCode" or "fields"`);
  const series = parsed.series as StoredSeries[];
  if (isJsonObject(parsed.nextIds) && Object.values(parsed.nextIds).every((next) => Number.isInteger(next))) {
    return { nextIds: parsed.nextIds as Record<string, number>, series };
  }
  if (Number.isInteger(parsed.nextId)) {
    const legacy = parsed as unknown as LegacyStoreFile;
    const nextIds: Record<string, number> = {};
    for (const entry of series) nextIds[entry.orgId] = Math.max(nextIds[entry.orgId] ?? legacy.nextId, entry.id + 1);
    return { nextIds, series };
  }
  throw new Error('missing "nextIds" or "series"');
}

function key(orgId: number, id: number): string {
  return `${orgId}/${id}`;
}

export class SeriesStore {
  private writes: Promise<void> = Promise.resolve();

  private constructor(
    private readonly dataFile: string | undefined,
    private readonly nextIds: Map<number, number>,
    private readonly series: Map<string, StoredSeries>,
  ) {}

  /** Loads `dataFile` when it exists (either format); a file that is not the sandbox's JSON is an error, never overwritten. */
  static async open(dataFile?: string): Promise<SeriesStore> {
    if (!dataFile) return new SeriesStore(undefined, new Map(), new Map());
    let text: string;
    try {
      text = await readFile(dataFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return new SeriesStore(dataFile, new Map(), new Map());
    }
    let content: StoreFile;
    try {
      content = readStoreFile(JSON.parse(text));
    } catch (error) {
      throw new Error(`The sandbox data file ${dataFile} is not sandbox data (${(error as Error).message}): move it away or choose another file.`);
    }
    return new SeriesStore(
      dataFile,
      new Map(Object.entries(content.nextIds).map(([orgId, next]) => [Number(orgId), next])),
      new Map(content.series.map((series) => [key(series.orgId, series.id), series])),
    );
  }

  get count(): number {
    return this.series.size;
  }

  /** The series `id` of `orgId`; another org's series with that id is not found. */
  get(orgId: number, id: number): StoredSeries | undefined {
    const found = this.series.get(key(orgId, id));
    return found && structuredClone(found);
  }

  async add(series: Omit<StoredSeries, 'id'>): Promise<StoredSeries> {
    const id = this.nextIds.get(series.orgId) ?? FIRST_SERIES_ID;
    this.nextIds.set(series.orgId, id + 1);
    const stored: StoredSeries = { id, ...series };
    this.series.set(key(stored.orgId, id), stored);
    await this.persist();
    return structuredClone(stored);
  }

  async replace(series: StoredSeries): Promise<void> {
    this.series.set(key(series.orgId, series.id), structuredClone(series));
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
    const snapshot: StoreFile = { nextIds: Object.fromEntries(this.nextIds), series: [...this.series.values()] };
    const write = this.writes.then(async () => {
      const folder = dirname(dataFile);
      await mkdir(folder, { recursive: true });
      // A random name, created exclusively: a name planted in advance (a symbolic link to another file) is never written through.
      const temporary = join(folder, `.${basename(dataFile)}.${randomBytes(8).toString('hex')}.tmp`);
      await writeNewFile(temporary, Buffer.from(`${JSON.stringify(snapshot, null, 2)}\n`, 'utf8'));
      try {
        await rename(temporary, dataFile);
      } catch (error) {
        await unlink(temporary).catch(() => undefined);
        throw error;
      }
      await syncFolder(folder);
    });
    // A failed write must not block the ones after it; the caller of this one still sees the failure.
    this.writes = write.catch(() => undefined);
    return write;
  }
}
