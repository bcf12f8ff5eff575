#!/usr/bin/env bash
# Checks with OpenZeppelin's upgrades-core that the Intermediary is upgrade-safe and that the test-only V2
# release keeps its storage layout (the ERC-7201 namespace included).
# V2 inherits `initialize` and needs no initialiser of its own when it upgrades a live channel, hence
# missing-initializer is allowed for it alone.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf target/upgrades-out # stale build info would make contract names ambiguous
node_modules/.bin/forge build --offline --build-info --extra-output storageLayout --out target/upgrades-out >/dev/null
validate=node_modules/.bin/openzeppelin-upgrades-core
"$validate" validate target/upgrades-out/build-info --contract Intermediary
"$validate" validate target/upgrades-out/build-info --contract IntermediaryV2 --reference Intermediary \
    --unsafeAllow missing-initializer
"$validate" validate target/upgrades-out/build-info --contract IntermediaryRelease2 --reference Intermediary
