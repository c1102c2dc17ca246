#!/usr/bin/env bash
# Runs the main job: builds the connector, packs the plugin, fetches the flights
# data set (200,000 records) from npm, and runs DemoMain, which sinks it through
# a local Kafka Connect worker into S3Mock and verifies every record.
# Extra arguments go to DemoMain (try --help), for example: ./demo/run.sh --records 20000
set -euo pipefail
cd "$(dirname "$0")/.."

# No AWS SDK client may fall back to the EC2 instance metadata address.
export AWS_EC2_METADATA_DISABLED=true

DATASET_PACKAGE=vega-datasets@3.2.1
DATA_DIR=demo/target/vega-datasets
DATA_FILE="$DATA_DIR/package/data/flights-200k.json"

echo "Building the connector, the plugin zip and the demo (mvn install -DskipTests) ..."
# Maven 3.8.7 with jansi 2.4.0 writes ESC[0m colour resets even with -B -q. The property
# jansi.noreset turns them off. It goes into MAVEN_OPTS because a -D argument is set too late.
MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" mvn -B -q install -DskipTests -pl demo -am

if [ ! -f "$DATA_FILE" ]; then
  echo "Fetching $DATASET_PACKAGE from the npm registry ..."
  mkdir -p "$DATA_DIR"
  tarball=$(cd "$DATA_DIR" && npm pack --silent "$DATASET_PACKAGE")
  tar -xzf "$DATA_DIR/$tarball" -C "$DATA_DIR" package/data/flights-200k.json package/package.json
fi

has_input=false
for arg in "$@"; do
  case "$arg" in
    --input|--input=*|-h|--help|-V|--version) has_input=true ;;
  esac
done
input_args=()
if [ "$has_input" = false ]; then
  input_args=(--input "$DATA_FILE")
fi

exec java -Xmx2g -XX:+UseSerialGC \
  -Daws.disableEc2Metadata=true \
  -Dsun.net.httpserver.nodelay=true \
  -Dlog4j2.configurationFile=log4j2-demo.xml \
  -cp "demo/target/classes:$(cat demo/target/runtime.classpath)" \
  io.github.dssesink.demo.DemoMain "${input_args[@]}" "$@"
