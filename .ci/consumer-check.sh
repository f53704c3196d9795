#!/usr/bin/env bash
# The README's "Use it from your own project", run by CI: installs this checkout's modules into a
# temporary local Maven repository, then builds examples/consumer (a project of its own, not a
# module) against them offline and runs it; it exits non-zero when the README's example no longer
# compiles against the installed API or gives a wrong result.
#
# The temporary repository holds symbolic links to every file of the usual local repository
# except this project's own group, so third-party artifacts need no download while the project's
# artifacts can only come from this install (a stale org.stiffness in ~/.m2 cannot stand in for
# them). Maven writes a new file in place of a link rather than through it, so ~/.m2 is not
# changed. Arguments go to the install's mvn call, e.g. -o where Maven must stay offline; CI
# passes none, because `mvn verify` alone does not bring the install plugin into ~/.m2.
#
# Environment: MAVEN_REPO_LOCAL (default ~/.m2/repository), the repository to seed from.
set -euo pipefail
cd "$(dirname "$0")/.."

seed="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
repo="$tmp/repository"

start=$SECONDS
mkdir -p "$repo"
if [ -d "$seed" ]; then
  cp -as "$(cd "$seed" && pwd)/." "$repo/"
fi
rm -rf "$repo/org/stiffness"

# Tests, coverage, formatting and static analysis (Error Prone) were the business of the
# `mvn verify` before this.
mvn -B -q -Dstyle.color=never "$@" -Dmaven.repo.local="$repo" -DskipTests -Djacoco.skip=true \
  -Dspotless.check.skip=true -Derrorprone.skip install
installed=$SECONDS

# A copy, so that no classes of an earlier build are reused and nothing is left in the tree.
cp -r examples/consumer "$tmp/consumer"
rm -rf "$tmp/consumer/target"
mvn -B -q -Dstyle.color=never -o -Dmaven.repo.local="$repo" -f "$tmp/consumer/pom.xml" compile
built=$SECONDS

# As the launcher runs the engine: oneDNN's AVX kernels (docs/known-issues.md), OpenMP threads
# that sleep rather than spin on a shared machine, and DJL without the network.
ONEDNN_MAX_CPU_ISA="${ONEDNN_MAX_CPU_ISA:-AVX}" OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}" \
  java -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$tmp/consumer/target/classes:$(cat "$tmp/consumer/target/classpath.txt")" \
  example.consumer.EmbedTheApi
echo "consumer-check: install $((installed - start)) s, consumer build $((built - installed)) s," \
  "run $((SECONDS - built)) s"
