// Bundles the front end with esbuild into OUT (default target/classes/static): one script, one style
// sheet and the HTML pages. Everything the browser loads is served by the marketplace: no CDN.
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const web = path.join(root, 'src', 'main', 'web');
const out = path.resolve(process.argv[2] ?? path.join(root, 'target', 'classes', 'static'));
fs.mkdirSync(out, { recursive: true });

await esbuild.build({
  entryPoints: [path.join(web, 'app.js'), path.join(web, 'style.css')],
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ['es2022'],
  outdir: out,
  logLevel: 'warning',
});
for (const file of fs.readdirSync(web).filter((name) => name.endsWith('.html'))) {
  fs.copyFileSync(path.join(web, file), path.join(out, file));
}
console.log(`web-ui: bundled into ${out}`);
