/**
 * The direction of src/: each room (folder) is a stage, and a stage imports only from stages
 * below it. Run by `npm run lint:deps` (and so by .ci/run); type-only imports count, since a
 * type-level cycle or an upward type import ties the rooms together as much as a value does.
 *
 * Adding a room: put its folder name in `stages` at its place in the flow. A folder of src/
 * that is in no stage fails the `unplaced-room` rule, so a new room cannot skip this decision.
 * Rooms listed here that do not exist yet (yet to be created by a refactor) simply match nothing.
 */

/** Lowest first. Rooms in one inner array are one level: they may not import each other. */
const stages = [
  ['errors.ts', 'common'],
  // Infrastructure (SQLite transactions, statement caches): node and better-sqlite3 only.
  ['storage'],
  ['data'],
  ['data-sources'],
  ['features'],
  ['factors'],
  ['strategies'],
  ['orders'],
  ['portfolio'],
  ['sizing', 'risk', 'attribution', 'metrics'],
  ['engine'],
  ['brokers'],
  ['lookahead'],
  ['runner'],
  ['research'],
  ['reports'],
  ['cli'],
];

/** The first stage: its members (errors.ts and common/) are one shared foundation and may import each other. */
const foundation = stages[0];

/** `src/NAME/...` for a folder, `src/NAME` for a file at the top of src/. */
const roomPattern = (room) => (room.endsWith('.ts') ? `src/${room.replace(/\./g, '\\.')}$` : `src/${room}/`);
const alternatives = (rooms) => rooms.map(roomPattern).join('|');
const anyOf = (rooms) => `^(${alternatives(rooms)})`;
const placed = `^(${alternatives(stages.flat())}|src/index\\.ts$)`;

const upward = stages.slice(0, -1).map((level, index) => {
  const higher = stages.slice(index + 1).flat();
  return {
    name: `upward-from-${level.map((room) => room.replace(/\.ts$/, '')).join('-')}`,
    comment: `${level.join(', ')} may import only from the stages below it, not from ${higher.join(', ')}`,
    severity: 'error',
    from: { path: anyOf(level) },
    to: { path: anyOf(higher) },
  };
});

const sideways = stages
  .filter((level) => level.length > 1 && level !== foundation)
  .flatMap((level) => level.map((room) => {
    const peers = level.filter((other) => other !== room);
    return {
      name: `sideways-from-${room}`,
      comment: `${room} is on one level with ${peers.join(', ')}: they do not import each other (what they share lives below them)`,
      severity: 'error',
      from: { path: anyOf([room]) },
      to: { path: anyOf(peers) },
    };
  }));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import cycle (type-only imports included) makes two modules one: break it by moving what they share below both',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
    ...sideways,
    {
      name: 'index-is-the-top',
      comment: 'src/index.ts is the public entry point and may import anything; only the CLI (which serves it) imports it back',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'storage-is-infrastructure',
      comment: 'src/storage/ uses node, better-sqlite3 and the foundation (errors, common) only',
      severity: 'error',
      from: { path: '^src/storage/' },
      to: {
        dependencyTypesNot: ['core'],
        pathNot: `^(src/storage/|${alternatives(foundation)}|node_modules/(@types/)?better-sqlite3/)`,
      },
    },
    {
      name: 'unplaced-room',
      comment: 'every folder and file at the top of src/ has a place in the stage order of .dependency-cruiser.js (src/index.ts is the entry point)',
      severity: 'error',
      from: {},
      to: { path: '^src/', pathNot: placed },
    },
    {
      name: 'unplaced-room-importing',
      comment: 'every folder and file at the top of src/ has a place in the stage order of .dependency-cruiser.js',
      severity: 'error',
      from: { path: '^src/', pathNot: placed },
      to: {},
    },
    {
      name: 'no-orphans',
      comment: 'a module nothing imports is dead code (entry points: src/index.ts, the CLI main, strategy modules loaded by path)',
      severity: 'error',
      from: { orphan: true, pathNot: '^(src/index\\.ts|src/cli/main\\.ts|src/strategies/examples/.*|examples/.*)$' },
      to: {},
    },
    {
      name: 'not-to-tests-or-benches',
      comment: 'the library does not depend on its tests, benches or scripts',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'not-to-dev-dependencies',
      comment: 'src/ ships: it may not import a package that is only a devDependency',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that resolves to nothing is a typo or a missing package',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports (`import type`, erased by tsc) are dependencies too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
