#!/usr/bin/env bash
# Installs what the Kafka broker of the tests and of `npm run kafka` needs that npm does not: Java 17
# and Maven (Debian's openjdk-17-jre-headless and maven, with apt, only when `java` or `mvn` is
# missing), then fetches Kafka 3.9.1's jars from Maven Central into .kafka/libs/ (once per change
# of ci/kafka/pom.xml; `npm test` would fetch them too). Safe to run repeatedly.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/apt-install.sh
source scripts/lib/apt-install.sh

missing=()
command -v java > /dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
command -v mvn > /dev/null 2>&1 || missing+=(maven)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-kafka-peers: installing Debian's ${missing[*]}..."
  apt_install "${missing[@]}"
fi

java -version 2>&1 | sed -n 1p
mvn -B -v 2>&1 | sed -n '1s/\x1b\[[0-9;]*m//gp'

if [ -d node_modules/tsx ]; then
  node --import tsx scripts/kafka.ts fetch
else
  echo "install-kafka-peers: node_modules/ is missing (run npm ci); npm test fetches the jars itself"
fi
