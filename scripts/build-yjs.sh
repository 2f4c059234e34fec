#!/usr/bin/env bash
# Regenerate assets/vendor/yjs/yjs.bundle.mjs: the npm package yjs (and lib0, which its ES module
# imports by bare name) bundled by esbuild into one ES module, with their licences beside it.
# The versions are pinned in tools/yjs/package.json and package-lock.json; `uv run workshop`
# needs none of this (the bundle is in the repository), only whoever updates Yjs does.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/tools/yjs"
out="$root/assets/vendor/yjs"
npm ci --prefix "$tools" --no-audit --no-fund --silent
mkdir -p "$out"
"$tools/node_modules/.bin/esbuild" "$tools/entry.mjs" --bundle --format=esm --minify --target=es2020 \
  --legal-comments=none --outfile="$out/yjs.bundle.mjs"
cp "$tools/node_modules/yjs/LICENSE" "$out/LICENSE-yjs"
cp "$tools/node_modules/lib0/LICENSE" "$out/LICENSE-lib0"
cp "$tools/node_modules/isomorphic.js/LICENSE" "$out/LICENSE-isomorphic.js"  # lib0 imports it too
yjs="$(node -p "require('$tools/node_modules/yjs/package.json').version")"
lib0="$(node -p "require('$tools/node_modules/lib0/package.json').version")"
printf 'yjs %s and lib0 %s from npm, bundled by scripts/build-yjs.sh (esbuild). Licences: LICENSE-yjs, LICENSE-lib0, LICENSE-isomorphic.js (MIT).\n' \
  "$yjs" "$lib0" > "$out/README.txt"
echo "built $out/yjs.bundle.mjs (yjs $yjs, lib0 $lib0)"
