#!/usr/bin/env bash
# Builds the desktop app's Debian package the Tauri way (the Tauri CLI from the UI's npm packages,
# `tauri build --bundles deb`), on a fresh Debian machine: installs what is missing first (as
# scripts/app-setup.sh does; idempotent), builds the UI and the release app, bundles the .deb.
#
#   bash scripts/package.sh          # the last line printed is the .deb's path
#
# Install it with `sudo apt install ./<file>.deb` (README.md, "Install the app").
# Metadata, dependencies, desktop entry and icons: tauri.conf.json ("bundle") and packaging/;
# packaging/tauri.deb.json names the package, the binary and the desktop file `docusign-jwt-studio`
# (the window and the applications menu still say "DocuSign JWT Studio").
set -euo pipefail
cd "$(dirname "$0")/.."
# A C compiler, pkg-config, libdbus; then WebKitGTK headers, the Node check, `npm ci` in ui/
# (which brings the Tauri CLI, @tauri-apps/cli, a prebuilt binary: no `cargo install`).
source scripts/setup-debian.sh
source scripts/app-setup.sh

version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)"
changelog_version="$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' packaging/changelog)"
if [ "$version" != "$changelog_version" ]; then
  echo "package: packaging/changelog starts with version $changelog_version but Cargo.toml says $version; add an entry for $version at the top of packaging/changelog." >&2
  exit 2
fi
arch="$(dpkg --print-architecture)"
deb="target/release/bundle/deb/docusign-jwt-studio_${version}_${arch}.deb"
rm -f "$deb"

# The manual page, compressed as Debian wants it (packaging/tauri.deb.json puts it in the .deb).
mkdir -p target/packaging
gzip -9n <packaging/docusign-jwt-studio.1 >target/packaging/docusign-jwt-studio.1.gz

echo "package: building the UI (ui/dist, embedded in the app)" >&2
# Built here, not by beforeBuildCommand: the CLI would run that in the first folder with a
# package.json it finds (bench/node), so packaging/tauri.deb.json switches it off.
npm --prefix ui run build --silent >&2
echo "package: building the release app and the .deb (tauri build --bundles deb)" >&2
# `--` passes --locked on to cargo.
ui/node_modules/.bin/tauri build --bundles deb --config packaging/tauri.deb.json -- --locked >&2

if [ ! -f "$deb" ]; then
  echo "package: the build finished but $deb is not there; see the output above." >&2
  exit 1
fi
echo "$PWD/$deb"
