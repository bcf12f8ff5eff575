// Compiles every contract under src/main/solidity with solc-js (the npm `solc` package, pinned in
// package.json) and writes, for each deployable contract, OUT/<Name>.abi, OUT/<Name>.bin (hex, no 0x)
// and OUT/<Name>.storage.json. Usage: node scripts/compile.mjs OUT
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const solc = require('solc');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(process.argv[2] ?? path.join(root, 'target', 'solidity'));
const sourceDir = path.join(root, 'src', 'main', 'solidity');
export const settings = JSON.parse(fs.readFileSync(path.join(root, 'solc-settings.json'), 'utf8'));

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : entry.name.endsWith('.sol') ? [full] : [];
  });
}

const sources = Object.fromEntries(
  walk(sourceDir).map((file) => [path.relative(root, file), { content: fs.readFileSync(file, 'utf8') }]),
);
const input = {
  language: 'Solidity',
  sources,
  settings: {
    ...settings,
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'storageLayout'] } },
  },
};

function findImport(importPath) {
  for (const base of [root, path.join(root, 'node_modules')]) {
    const candidate = path.join(base, importPath);
    if (fs.existsSync(candidate)) return { contents: fs.readFileSync(candidate, 'utf8') };
  }
  return { error: `not found: ${importPath}` };
}

const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
const problems = output.errors ?? [];
for (const problem of problems) console.error(problem.formattedMessage.trim());
if (problems.some((problem) => problem.severity === 'error')) {
  console.error('solc: compilation failed');
  process.exit(1);
}

fs.mkdirSync(out, { recursive: true });
let written = 0;
for (const [file, contracts] of Object.entries(output.contracts ?? {})) {
  if (!file.startsWith('src/main/solidity/')) continue;
  for (const [name, contract] of Object.entries(contracts)) {
    const bytecode = contract.evm?.bytecode?.object ?? '';
    if (bytecode.length === 0) continue; // interfaces, abstract contracts, libraries without code
    fs.writeFileSync(path.join(out, `${name}.abi`), JSON.stringify(contract.abi));
    fs.writeFileSync(path.join(out, `${name}.bin`), bytecode);
    fs.writeFileSync(path.join(out, `${name}.storage.json`), JSON.stringify(contract.storageLayout, null, 1));
    written++;
  }
}
console.log(`solc ${solc.version()}: ${written} contracts written to ${path.relative(process.cwd(), out) || out}`);
