#!/usr/bin/env bash
# Installs what `npm test` needs that npm does not, on Debian: Chromium (install-chromium.sh),
# the Kafka broker's Java 17, Maven and jars (install-kafka-peers.sh), and the deploy tests'
# validator and kustomize (install-deploy-peers.sh). Each does nothing when its part is already
# there. The benchmark's smoke test installs its own peer (install-bench-peers.sh).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
bash install-chromium.sh
bash install-kafka-peers.sh
bash install-deploy-peers.sh
