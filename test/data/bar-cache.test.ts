import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { tableFromIPC, tableToIPC } from '@uwdata/flechette';
import { crc32 } from 'node:zlib';
import {
  barCacheDirectory,
  barCacheFile,
  barCacheWanted,
  clearBarCache,
  loadThroughBarCache,
  summarizeBarCache,
  writeBarCacheEntry,
  type BarCacheSettings,
  type CachedLoadOptions,
} from '../../src/data/bar-cache';
import { daysToIsoDate, decodeBarCacheEntry, isoDateToDays } from '../../src/data/bar-cache-entry';
import { formatBarsCsv, generateBars } from '../../src/data/generator';
import { loadBarsFile, symbolFromFileName, type LoadBarsOptions, type LoadedBars } from '../../src/data/load-bars';
import { loadUniverse, loadUniverseBars } from '../../src/data/universe';
import { main } from '../../src/cli/main';

const SHARED = path.resolve(__dirname, '../../../shared/data');
const REPO = path.resolve(__dirname, '../..');

/** Asserts `cached` is the very same load as `parsed`: Object.is on every value, same dates, dropped rows, names. */
function assertSameLoad(cached: LoadedBars, parsed: LoadedBars): void {
  const a = cached.bars;
  const b = parsed.bars;
  assert.equal(a.symbol, b.symbol);
  assert.equal(a.source, b.source);
  assert.equal(a.dates.length, b.dates.length);
  for (let i = 0; i < b.dates.length; i++) if (a.dates[i] !== b.dates[i]) assert.fail(`date ${i}: ${a.dates[i]} != ${b.dates[i]}`);
  for (const column of ['open', 'high', 'low', 'close', 'volume'] as const) {
    assert.ok(a[column] instanceof Float64Array, `${column} is a Float64Array`);
    assert.equal(a[column].length, b[column].length, `${column} length`);
    for (let i = 0; i < b[column].length; i++) {
      if (!Object.is(a[column][i], b[column][i])) assert.fail(`${column}[${i}]: ${a[column][i]} is not ${b[column][i]}`);
    }
  }
  assert.deepStrictEqual(cached.dropped, parsed.dropped);
}

/**
 * An entry rebuilt with another `aq.format`, its check recomputed by the recipe of bar-cache-entry.ts
 * (CRC-32 of the file with the 8 check digits as underscores, written into each copy).
 */
function encodeWithFormat(entry: Buffer, format: string): Buffer {
  const table = tableFromIPC(entry);
  const metadata = new Map(table.schema.metadata ?? []);
  metadata.set('aq.format', format);
  metadata.set('aq.check', 'crc32:________');
  table.schema.metadata = metadata;
  const bytes = Buffer.from(tableToIPC(table, { format: 'file' }) as Uint8Array);
  const digits = crc32(bytes).toString(16).padStart(8, '0');
  for (let at = bytes.indexOf('crc32:________'); at >= 0; at = bytes.indexOf('crc32:________', at + 1)) bytes.write(digits, at + 6, 'latin1');
  return bytes;
}

describe('data/bar-cache', () => {
  let work: string;
  let cacheDir: string;
  const savedEnv = { dir: process.env.AQ_CACHE_DIR, cache: process.env.AQ_CACHE };

  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'aq-bar-cache-'));
    cacheDir = path.join(work, 'cache');
    process.env.AQ_CACHE_DIR = cacheDir;
    delete process.env.AQ_CACHE;
  });
  afterEach(() => {
    rmSync(work, { recursive: true, force: true });
    if (savedEnv.dir === undefined) delete process.env.AQ_CACHE_DIR;
    else process.env.AQ_CACHE_DIR = savedEnv.dir;
    if (savedEnv.cache === undefined) delete process.env.AQ_CACHE;
    else process.env.AQ_CACHE = savedEnv.cache;
  });

  /** Loads through the cache with the loader's parser, reporting how it was served. */
  function cachedLoad(file: string, options: LoadBarsOptions = {}, settings: BarCacheSettings = {}) {
    const loaderOptions: CachedLoadOptions = { adjust: options.adjust === true, invalidRows: options.invalidRows ?? 'error' };
    const symbol = options.symbol ?? symbolFromFileName(file);
    return loadThroughBarCache(file, symbol, loaderOptions, () => loadBarsFile(file, { ...options, cache: false }), settings);
  }
  /** A clock far enough ahead that every file looks old: fingerprints are recorded and trusted. */
  const later: BarCacheSettings = { nowMs: () => Date.now() + 60_000 };

  function writeGenerated(name: string, seed: number, days = 300, start = '2015-01-02'): string {
    const file = path.join(work, name);
    writeFileSync(file, formatBarsCsv(generateBars({ symbol: 'GEN', seed, start, days, startPrice: 50 })));
    return file;
  }

  describe('bit-identical to parsing', () => {
    const realFiles = [
      ...['MU', 'GLD', 'GOOG'].map((symbol) => path.join(SHARED, 'real', 'normalized', `${symbol}.csv`)),
      path.join(SHARED, 'real', 'MU.csv'),
      path.join(SHARED, 'real', 'GLD_alphavantage.csv'),
      ...['AAPL', 'CHTR', 'JPM', 'XOM'].map((symbol) => path.join(SHARED, 'sp100_2000_2024', `${symbol}.csv.gz`)),
    ];
    for (const file of realFiles) {
      const adjusts = path.basename(file) === 'MU.csv' && !file.includes('normalized') ? [false, true] : [false];
      for (const adjust of adjusts) {
        it(`${path.relative(SHARED, file)}${adjust ? ' (adjust)' : ''}: parsed, then from the cache, same values`, function () {
          if (!existsSync(file)) this.skip();
          const parsed = loadBarsFile(file, { adjust });
          const first = loadBarsFile(file, { adjust, cache: true });
          assertSameLoad(first, parsed);
          assert.equal(summarizeBarCache(cacheDir).entries, 1);
          const outcome = cachedLoad(file, { adjust }).outcome;
          assert.ok(outcome === 'hash' || outcome === 'stat', `served from the cache, got ${outcome}`);
          assertSameLoad(loadBarsFile(file, { adjust, cache: true }), parsed);
        });
      }
    }

    it('generated files with bad rows dropped: same columns and the same dropped rows, through parse, hash and stat', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 1_000_000 }),
          fc.integer({ min: 1, max: 400 }),
          fc.array(fc.tuple(fc.nat(), fc.constantFrom('2019-13-01,1,1,1,1,1', 'x,y', '2000-01-01,1,2,1,1,1', '2019-05-05,1,0.5,1,1,1', '2019-05-05,1,2,1,1,-3')), { maxLength: 6 }),
          fc.boolean(),
          (seed, days, bad, holidays) => {
            const lines = formatBarsCsv(generateBars({ symbol: 'G', seed, start: '1995-06-01', days, startPrice: 20, holidays })).trimEnd().split('\n');
            for (const [at, line] of bad) lines.splice(1 + (at % lines.length), 0, line);
            const file = path.join(work, `G${seed}.csv`);
            writeFileSync(file, `${lines.join('\n')}\n`);
            const parsed = loadBarsFile(file, { invalidRows: 'drop' });
            const first = cachedLoad(file, { invalidRows: 'drop' }, later);
            assert.equal(first.outcome, 'parsed');
            assertSameLoad(first, parsed);
            const second = cachedLoad(file, { invalidRows: 'drop' }, later);
            assert.equal(second.outcome, 'stat');
            assertSameLoad(second, parsed);
            const third = cachedLoad(file, { invalidRows: 'drop' });
            assert.equal(third.outcome, 'hash');
            assertSameLoad(third, parsed);
            const alwaysBad = bad.filter(([, line]) => !line.startsWith('2000-01-01')).length;
            assert.ok(parsed.dropped.length >= alwaysBad, 'every inserted bad row is dropped');
          },
        ),
        { numRuns: 40 },
      );
    });

    it('dates before 1900 and after 2099 (outside the dense date table) come back the same', () => {
      for (const start of ['1850-03-01', '2098-11-01']) {
        const file = writeGenerated(`D${start.slice(0, 4)}.csv`, 7, 600, start);
        const parsed = loadBarsFile(file);
        cachedLoad(file);
        const again = cachedLoad(file);
        assert.equal(again.outcome, 'hash');
        assertSameLoad(again, parsed);
      }
    });

    it('day numbers: isoDateToDays and daysToIsoDate agree with Date.UTC over years 0000..9999', () => {
      fc.assert(
        fc.property(fc.integer({ min: -719_528, max: Date.UTC(9999, 11, 31) / 864e5 }), (days) => {
          const date = new Date(days * 864e5);
          const iso = `${String(date.getUTCFullYear()).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
          assert.equal(daysToIsoDate(days), iso);
          assert.equal(isoDateToDays(iso), days);
        }),
      );
      assert.equal(isoDateToDays('1970-01-01'), 0);
      assert.equal(isoDateToDays('0000-01-01'), -719_528);
      assert.equal(isoDateToDays('2000-03-01'), 11_017);
      assert.equal(daysToIsoDate(isoDateToDays('0000-01-01') - 1), undefined);
    });

    it('loadUniverseBars with the cache: the golden universe is bit-identical, cold and warm', function () {
      const universeFile = path.join(REPO, 'data', 'universe.yaml');
      if (!existsSync(universeFile)) this.skip();
      const universe = loadUniverse(universeFile);
      const parsed = loadUniverseBars(universe);
      for (let round = 0; round < 2; round++) {
        const cached = loadUniverseBars(universe, { cache: true });
        cached.bars.forEach((series, i) => assertSameLoad({ bars: series, dropped: [] }, { bars: parsed.bars[i], dropped: [] }));
        assert.deepStrictEqual(cached.dropped, parsed.dropped);
      }
      assert.equal(summarizeBarCache(cacheDir).entries, universe.symbols.length);
    });
  });

  describe('keys and switches', () => {
    it('adjust and invalidRows are part of the key: each option set has its own entry with its own values', function () {
      const file = path.join(SHARED, 'real', 'MU.csv');
      if (!existsSync(file)) this.skip();
      const raw = loadBarsFile(file, { cache: true });
      const adjusted = loadBarsFile(file, { adjust: true, cache: true });
      const dropping = loadBarsFile(file, { invalidRows: 'drop', cache: true });
      assert.equal(summarizeBarCache(cacheDir).entries, 3);
      assertSameLoad(loadBarsFile(file, { cache: true }), raw);
      assertSameLoad(loadBarsFile(file, { adjust: true, cache: true }), adjusted);
      assertSameLoad(loadBarsFile(file, { invalidRows: 'drop', cache: true }), dropping);
      assert.notEqual(raw.bars.close[0], adjusted.bars.close[0]);
    });

    it('the symbol is not cached: the same file under another symbol name', () => {
      const file = writeGenerated('ABC.csv', 3);
      loadBarsFile(file, { cache: true });
      const renamed = loadBarsFile(file, { cache: true, symbol: 'XYZ' });
      assert.equal(renamed.bars.symbol, 'XYZ');
      assertSameLoad(renamed, loadBarsFile(file, { symbol: 'XYZ' }));
    });

    it('the folder is $AQ_CACHE_DIR, else ~/.cache/aq-research; AQ_CACHE=off wins, AQ_CACHE=on turns on callers that did not choose', () => {
      assert.equal(barCacheDirectory({ AQ_CACHE_DIR: '/tmp/x' }), '/tmp/x');
      assert.equal(barCacheDirectory({}), path.join(homedir(), '.cache', 'aq-research'));
      assert.equal(barCacheWanted(undefined, {}), false);
      assert.equal(barCacheWanted(true, {}), true);
      assert.equal(barCacheWanted(true, { AQ_CACHE: 'off' }), false);
      assert.equal(barCacheWanted(undefined, { AQ_CACHE: 'on' }), true);
      assert.equal(barCacheWanted(false, { AQ_CACHE: 'on' }), false);

      const file = writeGenerated('OFF.csv', 4);
      process.env.AQ_CACHE = 'off';
      assertSameLoad(loadBarsFile(file, { cache: true }), loadBarsFile(file));
      assert.equal(existsSync(cacheDir), false, 'AQ_CACHE=off writes nothing');
      process.env.AQ_CACHE = 'on';
      loadBarsFile(file);
      assert.equal(summarizeBarCache(cacheDir).entries, 1);
    });

    it('a bad file is still a DataError through the cache, and nothing is cached for it', () => {
      const file = path.join(work, 'BAD.csv');
      writeFileSync(file, 'date,open,high,low,close,volume\n2020-01-02,1,2,1,1,1\n2020-01-03,1,2,1,1,-1\n');
      for (let i = 0; i < 2; i++) assert.throws(() => loadBarsFile(file, { cache: true }), /BAD\.csv:3: column "volume" value "-1"/);
      assert.equal(summarizeBarCache(cacheDir).entries, 0);
      assert.throws(() => loadBarsFile(path.join(work, 'missing.csv'), { cache: true }), /missing\.csv/);
    });
  });

  describe('a changed source is detected', () => {
    function primed(): { file: string; parsed: LoadedBars } {
      const file = writeGenerated('SRC.csv', 11);
      const parsed = loadBarsFile(file);
      assert.equal(cachedLoad(file, {}, later).outcome, 'parsed');
      assert.equal(cachedLoad(file, {}, later).outcome, 'stat', 'the fingerprint is trusted before the change');
      return { file, parsed };
    }

    it('one byte edited, same size, mtime set back: reparsed', () => {
      const { file, parsed } = primed();
      const { atime, mtime } = statSync(file);
      const text = readFileSync(file, 'utf8');
      const at = text.lastIndexOf(',') + 1; // the last volume's first digit
      const digit = text[at] === '9' ? '8' : String(Number(text[at]) + 1);
      writeFileSync(file, text.slice(0, at) + digit + text.slice(at + 1));
      utimesSync(file, atime, mtime);
      assert.equal(statSync(file).size, text.length);
      const reloaded = cachedLoad(file, {}, later);
      assert.equal(reloaded.outcome, 'parsed');
      const n = parsed.bars.volume.length - 1;
      assert.notEqual(reloaded.bars.volume[n], parsed.bars.volume[n]);
      assertSameLoad(reloaded, loadBarsFile(file));
    });

    it('truncated: reparsed (the shorter series)', () => {
      const { file, parsed } = primed();
      const text = readFileSync(file, 'utf8');
      truncateSync(file, text.indexOf('\n', Math.floor(text.length / 2)) + 1);
      const reloaded = cachedLoad(file, {}, later);
      assert.equal(reloaded.outcome, 'parsed');
      assert.ok(reloaded.bars.dates.length < parsed.bars.dates.length);
      assertSameLoad(reloaded, loadBarsFile(file));
    });

    it("replaced by another symbol's file (copied over, or renamed over): reparsed", () => {
      const { file } = primed();
      copyFileSync(writeGenerated('OTHER.csv', 12), file);
      assert.equal(cachedLoad(file, {}, later).outcome, 'parsed');
      assertSameLoad(cachedLoad(file, {}, later), loadBarsFile(file));
      const third = writeGenerated('THIRD.csv', 13);
      rmSync(file);
      copyFileSync(third, file);
      assert.equal(cachedLoad(file, {}, later).outcome, 'parsed');
      assertSameLoad(cachedLoad(file, {}, later), loadBarsFile(file));
    });

    it('touched without a change: checked by hash, not reparsed, and trusted by stat again afterwards', () => {
      const { file } = primed();
      const future = new Date(Date.now() + 5000);
      utimesSync(file, future, future);
      assert.equal(cachedLoad(file, {}, { nowMs: () => Date.now() + 120_000 }).outcome, 'hash');
      assert.equal(cachedLoad(file, {}, { nowMs: () => Date.now() + 120_000 }).outcome, 'stat');
    });

    it('a just-written source gets no trusted fingerprint (a write in the same clock tick could go unseen)', () => {
      const file = writeGenerated('NEW.csv', 14);
      assert.equal(cachedLoad(file).outcome, 'parsed');
      assert.equal(cachedLoad(file).outcome, 'hash');
    });
  });

  describe('a damaged cache entry is ignored and rewritten', () => {
    const options: CachedLoadOptions = { adjust: false, invalidRows: 'error' };

    it('truncated at any length, garbage, empty, flipped bytes: never a crash, the parse result, then a good entry', () => {
      const file = writeGenerated('DMG.csv', 21, 40);
      const parsed = loadBarsFile(file);
      cachedLoad(file);
      const entry = barCacheFile(cacheDir, file, options);
      const good = readFileSync(entry);
      const damaged: Buffer[] = [Buffer.alloc(0), Buffer.from('not an arrow file'), Buffer.alloc(good.length, 0)];
      for (let length = 1; length < good.length; length += 7) damaged.push(good.subarray(0, length));
      for (let at = 0; at < good.length; at += 13) {
        const flipped = Buffer.from(good);
        flipped[at] ^= 0xff;
        damaged.push(flipped);
      }
      for (const bytes of damaged) {
        writeFileSync(entry, bytes);
        const loaded = cachedLoad(file);
        assert.equal(loaded.outcome, 'parsed');
        assertSameLoad(loaded, parsed);
        const rewritten = decodeBarCacheEntry(readFileSync(entry), options);
        assert.ok(rewritten !== undefined, 'the entry was rewritten');
        assert.deepEqual(rewritten.columns.close, parsed.bars.close);
      }
      assert.notEqual(cachedLoad(file).outcome, 'parsed');
    });

    it('every truncation and every single-byte change is rejected (CRC-32 over the whole file)', () => {
      const file = writeGenerated('FLIP.csv', 22, 30);
      const parsed = loadBarsFile(file);
      cachedLoad(file);
      const good = readFileSync(barCacheFile(cacheDir, file, options));
      for (let length = 0; length < good.length; length++) assert.equal(decodeBarCacheEntry(good.subarray(0, length), options), undefined);
      for (let at = 0; at < good.length; at++) {
        const flipped = Buffer.from(good);
        flipped[at] ^= 0x55;
        assert.equal(decodeBarCacheEntry(flipped, options), undefined, `byte ${at} changed`);
      }
      const decoded = decodeBarCacheEntry(good, options);
      assert.ok(decoded !== undefined);
      assert.deepEqual(decoded.columns.close, parsed.bars.close);
    });

    it('an entry of another format version or other options under the name is a miss', () => {
      const file = writeGenerated('VER.csv', 23, 30);
      cachedLoad(file);
      const entry = barCacheFile(cacheDir, file, options);
      const good = readFileSync(entry);
      assert.equal(decodeBarCacheEntry(good, { adjust: true, invalidRows: 'error' }), undefined);
      const text = good.toString('latin1');
      assert.ok(text.includes('aq.format'));
      // Re-encoded by another version: same layout, format "2" (a valid file, its CRC recomputed).
      const other = encodeWithFormat(good, '2');
      assert.equal(decodeBarCacheEntry(other, options), undefined);
      assert.ok(decodeBarCacheEntry(encodeWithFormat(good, '1'), options) !== undefined, 'the same rebuild with format 1 is accepted');
    });

    it('a writer that cannot write leaves nothing and the load still succeeds', () => {
      const file = writeGenerated('RO.csv', 24, 30);
      writeFileSync(cacheDir, 'a file where the folder should be');
      assert.equal(writeBarCacheEntry(path.join(cacheDir, 'x.arrow'), new Uint8Array(8)), false);
      assertSameLoad(loadBarsFile(file, { cache: true }), loadBarsFile(file));
    });

    it('a writer killed mid-write never leaves a half entry under the final name', async function () {
      this.timeout(60_000);
      const file = writeGenerated('KILL.csv', 25, 5000);
      const script = path.join(work, 'writer.js');
      // Writes the entry again and again until killed.
      writeFileSync(script, `
        require(${JSON.stringify(require.resolve('ts-node'))}).register({ transpileOnly: true });
        const { loadBarsFile } = require(${JSON.stringify(path.join(REPO, 'src/data/load-bars.ts'))});
        const { clearBarCache } = require(${JSON.stringify(path.join(REPO, 'src/data/bar-cache.ts'))});
        process.stdout.write('ready\\n');
        for (;;) { clearBarCache(process.env.AQ_CACHE_DIR); loadBarsFile(${JSON.stringify(file)}, { cache: true }); }
      `);
      const child = spawn(process.execPath, [script], { env: { ...process.env, AQ_CACHE_DIR: cacheDir }, stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const parsed = loadBarsFile(file);
      for (const name of readdirSync(cacheDir).filter((n) => n.endsWith('.arrow'))) {
        const decoded = decodeBarCacheEntry(readFileSync(path.join(cacheDir, name)), options);
        assert.ok(decoded !== undefined, `${name} is a complete entry`);
        assertSameLoad({ bars: { ...parsed.bars, ...decoded.columns }, dropped: decoded.columns.dropped }, parsed);
      }
      assertSameLoad(loadBarsFile(file, { cache: true }), parsed);
      clearBarCache(cacheDir);
      assert.deepEqual(readdirSync(cacheDir), [], 'clear removes entries and leftover temporary files');
    });
  });

  describe('the entry as an Arrow IPC file (Feather v2)', () => {
    it('starts and ends with the ARROW1 magic, holds date32 and float64 columns and the metadata', () => {
      const file = writeGenerated('IPC.csv', 31, 10);
      const parsed = loadBarsFile(file);
      cachedLoad(file);
      const bytes = readFileSync(barCacheFile(cacheDir, file, { adjust: false, invalidRows: 'error' }));
      assert.equal(bytes.subarray(0, 8).toString('latin1'), 'ARROW1\u0000\u0000');
      assert.equal(bytes.subarray(bytes.length - 6).toString('latin1'), 'ARROW1');
      const table = tableFromIPC(bytes);
      assert.deepEqual(table.names, ['date', 'open', 'high', 'low', 'close', 'volume']);
      const date = table.getChild('date');
      assert.equal(date.type.typeId, 8); // Arrow Type.Date
      assert.equal((date.type as { unit: number }).unit, 0); // DateUnit.DAY: date32
      assert.equal(date.at(0), Date.parse(`${parsed.bars.dates[0]}T00:00:00Z`));
      for (const name of ['open', 'high', 'low', 'close', 'volume']) {
        const type = table.getChild(name).type as { typeId: number; precision: number };
        assert.deepEqual([type.typeId, type.precision], [3, 2]); // Float, DOUBLE
      }
      assert.equal(table.schema.metadata?.get('aq.rows'), String(parsed.bars.dates.length));
    });

    it('summarizeBarCache counts entries and bytes; clearBarCache removes only cache files', () => {
      mkdirSync(cacheDir, { recursive: true });
      writeFileSync(path.join(cacheDir, 'notes.txt'), 'mine');
      for (const seed of [41, 42]) cachedLoad(writeGenerated(`S${seed}.csv`, seed, 20));
      const summary = summarizeBarCache(cacheDir);
      const arrowBytes = readdirSync(cacheDir).filter((n) => n.endsWith('.arrow')).reduce((sum, n) => sum + statSync(path.join(cacheDir, n)).size, 0);
      assert.deepEqual(summary, { directory: cacheDir, entries: 2, bytes: arrowBytes });
      assert.deepEqual(clearBarCache(cacheDir), summary);
      assert.deepEqual(readdirSync(cacheDir), ['notes.txt']);
    });
  });

  describe('aq data cache', () => {
    async function aq(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
      let out = '';
      let err = '';
      const code = await main(argv, { stdout: (text) => (out += text), stderr: (text) => (err += text), interactive: false });
      return { code, out, err };
    }

    it('prints the folder, the entry count and size; --clear removes the entries; a bad option is exit 2', async () => {
      for (const seed of [51, 52, 53]) loadBarsFile(writeGenerated(`C${seed}.csv`, seed, 50), { cache: true });
      const { bytes } = summarizeBarCache(cacheDir);
      assert.ok(bytes > 0);
      assert.deepEqual(await aq('data', 'cache'), { code: 0, out: `bar cache ${cacheDir}: 3 entries, ${(bytes / 1e6).toFixed(1)} MB\n`, err: '' });
      assert.deepEqual(await aq('data', 'cache', '--clear'), { code: 0, out: `cleared ${cacheDir}: removed 3 entries (${(bytes / 1e6).toFixed(1)} MB)\n`, err: '' });
      assert.equal(summarizeBarCache(cacheDir).entries, 0);
      assert.equal((await aq('data', 'cache')).out, `bar cache ${cacheDir}: 0 entries, 0.0 MB\n`);
      const bad = await aq('data', 'cache', '--purge');
      assert.equal(bad.code, 2);
      assert.match(bad.err, /aq data cache: Unknown option '--purge'/);
    });
  });
});
