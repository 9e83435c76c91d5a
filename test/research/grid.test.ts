/** Sweep grids: lazy enumeration by index, constraints, seeded random search, and the grid file's checks. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ConfigError } from '../../src/errors';
import { countPoints, gridPoint, gridSize, searchPoints, type SearchSpace } from '../../src/research/sweep/grid';
import { readGridFile, searchSpace } from '../../src/research/sweep/grid-file';
import { shippedStrategies } from '../../src/strategies/registry';

const space = (over: Partial<SearchSpace> = {}): SearchSpace => ({
  axes: [
    { name: 'a', values: [1, 2, 3] },
    { name: 'b', values: [10, 20] },
  ],
  fixed: { c: 'x' },
  constraints: [],
  search: { kind: 'grid' },
  ...over,
});

function gridFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'aq-grid-'));
  const file = join(dir, 'grid.yaml');
  writeFileSync(file, text);
  return file;
}

describe('sweep grid', () => {
  it('enumerates the cartesian product, last axis fastest, fixed values in every point', () => {
    const points = [...searchPoints(space())].map((point) => point.parameters);
    assert.deepEqual(points, [
      { c: 'x', a: 1, b: 10 }, { c: 'x', a: 1, b: 20 },
      { c: 'x', a: 2, b: 10 }, { c: 'x', a: 2, b: 20 },
      { c: 'x', a: 3, b: 10 }, { c: 'x', a: 3, b: 20 },
    ]);
  });

  it('gridPoint(i) is the i-th point of a nested loop, for any axes (property)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }), (lengths) => {
      const axes = lengths.map((length, a) => ({ name: `p${a}`, values: Array.from({ length }, (_, v) => v) }));
      const expected: number[][] = [[]];
      for (const axis of axes) {
        const next: number[][] = [];
        for (const prefix of expected) for (const value of axis.values) next.push([...prefix, value]);
        expected.splice(0, expected.length, ...next);
      }
      assert.equal(gridSize(axes), expected.length);
      expected.forEach((values, index) => {
        const point = gridPoint({ axes, fixed: {} }, index);
        assert.deepEqual(axes.map((axis) => point[axis.name]), values);
      });
    }));
  });

  it('constraints keep only the points where they hold; trial numbers count accepted points', () => {
    const points = [...searchPoints(space({ constraints: ['a * 10 < b'] }))];
    assert.deepEqual(points.map((p) => [p.trial, p.gridIndex, p.parameters.a, p.parameters.b]), [[0, 1, 1, 20]]);
    assert.throws(() => [...searchPoints(space({ constraints: ['a > 5'] }))], /reject every one of the 6 points/);
    assert.throws(() => [...searchPoints(space({ constraints: ['d > 5'] }))], (e: unknown) => e instanceof ConfigError && /"d > 5".*d/.test((e as Error).message));
    assert.throws(() => [...searchPoints(space({ constraints: ['a <'] }))], /constraints\[0\] "a <"/);
  });

  it('random search: the same seed gives the same distinct points, another seed others; never more than the grid', () => {
    const big = space({ axes: [{ name: 'a', values: Array.from({ length: 100 }, (_, i) => i) }, { name: 'b', values: Array.from({ length: 100 }, (_, i) => i) }] });
    const draw = (seed: number, samples: number) => [...searchPoints({ ...big, search: { kind: 'random', samples, seed } })].map((p) => p.gridIndex);
    const first = draw(7, 50);
    assert.equal(first.length, 50);
    assert.equal(new Set(first).size, 50);
    assert.deepEqual(draw(7, 50), first);
    assert.notDeepEqual(draw(8, 50), first);
    assert.equal(new Set(draw(1, 20_000)).size, 10_000);
    // With a constraint, samples counts accepted points only.
    const constrained = [...searchPoints({ ...big, constraints: ['a < b'], search: { kind: 'random', samples: 30, seed: 3 } })];
    assert.equal(constrained.length, 30);
    assert.ok(constrained.every((p) => (p.parameters.a as number) < (p.parameters.b as number)));
  });

  it('counts a grid too large to walk without walking it, and a constrained one by walking it', () => {
    // 10^12 points: a count that walked the grid would not return within the test's timeout.
    const huge = Array.from({ length: 12 }, (_, a) => ({ name: `p${a}`, values: Array.from({ length: 10 }, (_, v) => v) }));
    assert.equal(countPoints({ axes: huge, fixed: {}, constraints: [], search: { kind: 'grid' } }), 1e12);
    assert.equal(countPoints({ axes: huge, fixed: {}, constraints: [], search: { kind: 'random', samples: 500, seed: 1 } }), 500);
    const small = Array.from({ length: 3 }, (_, a) => ({ name: `p${a}`, values: Array.from({ length: 10 }, (_, v) => v) }));
    assert.equal(countPoints({ axes: small, fixed: {}, constraints: [], search: { kind: 'random', samples: 5000, seed: 1 } }), 1000);
    // p0 < p1 holds for 45 of the 100 (p0, p1) pairs, times 10 values of p2.
    const constrained = { axes: small, fixed: {}, constraints: ['p0 < p1'], search: { kind: 'grid' } as const };
    assert.equal(countPoints(constrained), 450);
    assert.equal(countPoints(constrained), [...searchPoints(constrained)].length);
  });

  describe('grid file', () => {
    it('lists, ranges and fixed values, checked against the strategy', () => {
      const file = gridFile(`strategy: trend-breakout
parameters:
  roc: [10, 20]
  stop: { from: 1, to: 2, step: 0.1 }
  momentum: 0.7
constraints: ["roc < price_vs_ma"]
objective: cagr
from: 2015-01-02
options: { cash: 50000, sizing: equal }
`);
      const grid = readGridFile(file);
      const built = searchSpace(grid, shippedStrategies['trend-breakout']);
      assert.deepEqual(built.axes.map((axis) => axis.name), ['roc', 'stop']);
      assert.deepEqual(built.axes[1].values, [1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2]);
      assert.equal(built.fixed.momentum, 0.7);
      assert.equal(built.fixed.price_vs_ma, 50);
      assert.equal(grid.objective, 'cagr');
      assert.equal(grid.from, '2015-01-02');
      assert.deepEqual(grid.options, { cash: '50000', sizing: 'equal' });
      assert.equal(countPoints(built), 22);
    });

    it('errors name the file, the line and the value', () => {
      const bad = (text: string, pattern: RegExp) => {
        const file = gridFile(text);
        assert.throws(() => searchSpace(readGridFile(file), shippedStrategies['trend-breakout']), (e: unknown) => {
          assert.ok(e instanceof ConfigError, String(e));
          assert.match((e as Error).message, pattern);
          assert.ok((e as Error).message.startsWith(file), (e as Error).message);
          return true;
        });
      };
      bad('parameters:\n  roc: [10, 20]\n  rocc: [1]\n', /:3: strategy "trend-breakout" has no parameter "rocc"/);
      bad('parameters:\n  roc: [10, 0]\n', /:2: parameter "roc" must be an integer in 1\.\.100000, got 0/);
      bad('parameters:\n  roc: { from: 5, to: 1, step: 1 }\n', /:2: parameter "roc": a range needs/);
      bad('parameters:\n  roc: [10, 10]\n', /lists a value twice/);
      bad('parameters:\n  roc: [10]\nsurch: grid\n', /:3: unknown key "surch"/);
      bad('parameters:\n  roc: [10]\nsearch: random\n', /needs "samples"/);
      bad('parameters:\n  roc: [10]\nobjective: luck\n', /:3: "objective" must be one of/);
      bad('parameters: [\n', /grid\.yaml:\d+: /);
    });

    it('a "billion laughs" file (aliases of aliases) is refused as a config error, not expanded', () => {
      const levels = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < 9; i++) levels.push(`l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
      const file = gridFile(`${levels.join('\n')}\nparameters:\n  roc: [10]\n`);
      assert.throws(() => readGridFile(file), (e: unknown) => e instanceof ConfigError && /alias/i.test((e as Error).message));
    });
  });
});
