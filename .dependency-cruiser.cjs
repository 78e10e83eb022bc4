/**
 * The data flows one way (ARCHITECTURE.md): a layer may import only the layers listed before it.
 *   util → sources → normalize → stix → detect → alerts → store → api → serve/cli
 * and a component is entered only through its index.ts.
 */
const layers = ['util', 'sources', 'normalize', 'stix', 'detect', 'alerts', 'store', 'share', 'api', 'serve', 'sim', 'cli'];

const layerRules = layers.map((layer, i) => {
  const higher = layers.slice(i + 1);
  return {
    name: `layer-${layer}`,
    comment: `src/${layer} must not depend on later stages (${higher.join(', ')})`,
    severity: 'error',
    from: { path: `^src/${layer}/` },
    to: { path: higher.length ? `^src/(${higher.join('|')})/` : '^$' },
  };
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'enter-through-index',
      comment: 'another component is used only through its index.ts',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/([^/]+)/', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'detect-subcomponents-through-index',
      comment: 'detect/sigma, detect/intel, detect/analytics use each other only through index.ts',
      severity: 'error',
      from: { path: '^src/detect/([^/]+)/' },
      to: { path: '^src/detect/([^/]+)/', pathNot: ['^src/detect/$1/', '^src/detect/[^/]+/index\\.ts$'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
