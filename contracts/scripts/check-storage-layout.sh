#!/usr/bin/env bash
# Checks with OpenZeppelin's upgrades-core that the Intermediary is upgrade-safe, that release 2 and the test-only V2
# release keep its storage layout (the ERC-7201 namespace included), and that a deliberately incompatible fixture
# is refused. upgrades-core reads a namespace from the struct annotated `@custom:storage-location erc7201:…` that
# the contract (or a base) defines; the struct need not be used by a state variable.
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
# The check must be able to fail: a fixture with release 1's namespace and a field inserted in its struct
# (src/test/solidity/IncompatibleLayout.sol) must be refused, and for that insertion, not for another reason.
set +e
refusal=$("$validate" validate target/upgrades-out/build-info --contract IntermediaryIncompatibleLayout \
    --reference Intermediary 2>&1)
status=$?
set -e
if [ "$status" -eq 0 ]; then
    echo "$refusal"
    echo "FAIL: upgrades-core accepted IntermediaryIncompatibleLayout, whose namespaced struct inserts a field" >&2
    exit 1
fi
if ! grep -q 'Inserted `fee`' <<<"$refusal"; then
    echo "$refusal"
    echo "FAIL: upgrades-core refused IntermediaryIncompatibleLayout, but not for the inserted field" >&2
    exit 1
fi
echo "OK: upgrades-core refuses IntermediaryIncompatibleLayout (tollgate.storage.Intermediary with a field inserted): $(grep -m1 'Inserted' <<<"$refusal" | sed 's/^ *//')"
