#!/usr/bin/env bash
# Regenerate assets/css/tailwind.css: the Tailwind utilities the app's pages use, prebuilt by the
# Tailwind CLI at the version NiceGUI's runtime Tailwind has (pinned in tools/tailwind/package.json
# and package-lock.json). The app runs with ui.run(tailwind=False), so phones no longer download
# and run Tailwind in the browser (80 KB gzipped, ~250 ms of a slow phone's CPU before the page is
# styled). `uv run workshop` needs none of this (the CSS is in the repository), only whoever changes
# the classes a page uses: run it then, and commit the result.
#
# What is scanned for class names: the app's Python and JavaScript (workshop/), NiceGUI's own
# element code (the classes its elements put on the page), and tools/tailwind/safelist.txt: classes
# that only exist at run time (built from parts, or set by Quasar's components), collected from the
# pages' DOM. A class missing here renders unstyled: tests/e2e/test_layout.py and the screenshots
# show it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/tools/tailwind"
out="$root/assets/css/tailwind.css"
nicegui="$(cd "$root" && uv run --frozen python -c 'import nicegui, os; print(os.path.dirname(nicegui.__file__))')"
npm ci --prefix "$tools" --no-audit --no-fund --silent
input="$(mktemp "$tools/input.XXXXXX.css")"
trap 'rm -f "$input"' EXIT
# the same input as NiceGUI's runtime Tailwind (its index.html): the whole framework, and dark
# mode on Quasar's body class
cat > "$input" <<CSS
@import "tailwindcss" source(none);
@custom-variant dark (&:where(body.body--dark, body.body--dark *));
@source "$root/workshop";
@source "$tools/safelist.txt";
@source "$nicegui/*.py";
@source "$nicegui/elements/*.{py,js,vue}";
@source "$nicegui/static/nicegui.js";
@source "$nicegui/static/quasar.umd.prod.js";
CSS
(cd "$tools" && ./node_modules/.bin/tailwindcss --input "$input" --output "$out.tmp" --minify)
version="$(node -p "require('$tools/node_modules/tailwindcss/package.json').version")"
{
  printf '/* Tailwind CSS %s (MIT), prebuilt by scripts/build-tailwind.sh: do not edit. */\n' "$version"
  cat "$out.tmp"
  # NiceGUI adds this to the page only with its runtime Tailwind: Quasar's rotate-* classes
  # must not rotate twice
  printf '\n@layer overrides{%s}\n' "$(tr -s ' \n' ' ' < "$nicegui/static/headwind.css")"
} > "$out"
rm -f "$out.tmp"
echo "built $out (tailwindcss $version, $(wc -c < "$out") bytes)"
