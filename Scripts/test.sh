#!/usr/bin/env bash
# Everything CI runs, in order; stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
Scripts/check-imports.sh
swift build
swift test
Scripts/e2e.sh .build/debug/swetcd
