#!/bin/sh
# Records the operator's class-data-sharing archive (AppCDS, JDK 17 dynamic archive): starts the fast-jar against an
# API server that is not there, lets the JVM, Quarkus and the operator's controllers start, then stops it; on exit
# the JVM writes every class it loaded to the archive, which later starts map instead of loading and verifying.
# Dockerfile.jvm runs it with the image's own JDK (an archive only serves the JDK build that wrote it), and
# UnitRoutingBenchmark's start phase runs it with the local one. docs/benchmarks.md has the figures.
#
#   train-cds.sh <quarkus-run.jar> <archive> [seconds, default 20]     (JAVA: the java to use, default java)
set -u
jar=$1
archive=$2
seconds=${3:-20}
QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL=https://127.0.0.1:9 QUARKUS_HTTP_PORT=0 QUARKUS_PROFILE=prod \
    "${JAVA:-java}" -XX:ArchiveClassesAtExit="$archive" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Djava.util.logging.manager=org.jboss.logmanager.LogManager -jar "$jar" >/dev/null 2>&1 &
pid=$!
sleep "$seconds"
kill -TERM "$pid"
wait "$pid"
test -s "$archive"
