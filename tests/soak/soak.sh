#!/usr/bin/env bash
# Soak (not in CI): the local profile as processes on this machine (Azurite, our Event Hubs endpoint,
# three silos and an API process in front of them), orders offered at a steady rate for DURATION
# seconds, and every KILL_EVERY seconds one silo SIGKILLed and a new one started in its place (same
# ports, as a container platform restarts a replica). The load tool then checks every invariant
# (every order ended; charged, shipped and stock taken once; ...). Prints the load tool's figures
# and each process's memory over time (also in $OUT/memory.csv).
#
#   tests/soak/soak.sh                       # 5 orders/s for 10 minutes, a silo killed every minute
#   RATE=3 DURATION=120 tests/soak/soak.sh   # shorter
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${RATE:-5}
DURATION=${DURATION:-600}
KILL_EVERY=${KILL_EVERY:-60}
OUT=${OUT:-$(mktemp -d -t marketplace-soak.XXXXXX)}
mkdir -p "$OUT"
echo "soak: $RATE orders/s for $DURATION s, a silo killed every $KILL_EVERY s; output in $OUT"

[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund
for project in Marketplace.Silo Marketplace.LocalEventHubs Marketplace.LoadTest; do
  dotnet build -c Release "src/$project" -v quiet -nologo >> "$OUT/build.log"
done
bin() { echo "src/$1/bin/Release/net10.0/$1.dll"; }

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  # Silos the killer started: every one carries this run's cluster id on its command line.
  [ -n "${cluster:-}" ] && pkill -9 -f -- "--Orleans:ClusterId=$cluster" 2>/dev/null || true
}
trap cleanup EXIT

node_modules/.bin/azurite --silent --skipApiVersionCheck --disableTelemetry --location "$OUT/azurite" \
  --blobHost 127.0.0.1 --blobPort 20000 --queueHost 127.0.0.1 --queuePort 20001 --tableHost 127.0.0.1 --tablePort 20002 \
  > "$OUT/azurite.log" 2>&1 &
pids+=($!)
dotnet "$(bin Marketplace.LocalEventHubs)" --port 25672 --data "$OUT/eventhubs" --config infra/local/Config.json > "$OUT/eventhubs.log" 2>&1 &
pids+=($!)

key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
cluster="soak-$(date +%s)"
common=(
  "--ConnectionStrings:Tables=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;TableEndpoint=http://127.0.0.1:20002/devstoreaccount1;BlobEndpoint=http://127.0.0.1:20000/devstoreaccount1;"
  "--ConnectionStrings:EventHubs=Endpoint=sb://127.0.0.1:25672;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;"
  "--Orleans:ClusterId=$cluster" "--Orleans:ServiceId=$cluster" "--Logging:LogLevel:Default=Warning"
)
export ASPNETCORE_ENVIRONMENT=Local
# Where appsettings.Local.json is (the local profile: Table storage, Event Hubs, the hub's names).
content_root="--contentRoot=$PWD/$(dirname "$(bin Marketplace.Silo)")"

silo_pids=()
start_silo() {
  ASPNETCORE_ENVIRONMENT=Local dotnet "$(bin Marketplace.Silo)" "$content_root" --Marketplace:Role=silo --urls "http://127.0.0.1:1809$1" \
    "--Orleans:SiloPort=1111$1" "--Orleans:GatewayPort=3000$1" "${common[@]}" >> "$OUT/silo$1.log" 2>&1 &
  silo_pids[$1]=$!
}
wait_ready() { for _ in $(seq 1 120); do curl -fs "$1/health/ready" > /dev/null && return 0; sleep 1; done; echo "not ready: $1" >&2; return 1; }

for i in 0 1 2; do start_silo "$i"; done
for i in 0 1 2; do wait_ready "http://127.0.0.1:1809$i"; done
dotnet "$(bin Marketplace.Silo)" "$content_root" --Marketplace:Role=api --urls http://127.0.0.1:18080 "${common[@]}" > "$OUT/api.log" 2>&1 &
api_pid=$!
pids+=("$api_pid")
wait_ready http://127.0.0.1:18080

# Memory of every process, every 10 s.
echo "seconds,silo0_mib,silo1_mib,silo2_mib,api_mib" > "$OUT/memory.csv"
(
  start=$(date +%s)
  while sleep 10; do
    row="$(( $(date +%s) - start ))"
    for p in "${silo_pids[@]}" "$api_pid"; do row="$row,$(( $(ps -o rss= -p "$p" 2>/dev/null || echo 0) / 1024 ))"; done
    echo "$row" >> "$OUT/memory.csv"
    # The killer replaces silo pids; read them again.
    [ -f "$OUT/silo.pids" ] && read -r -a silo_pids < "$OUT/silo.pids"
  done
) &
pids+=($!)

# Kill one silo every KILL_EVERY seconds, round robin, and start a new one on its ports.
echo "${silo_pids[*]}" > "$OUT/silo.pids"
(
  round=0
  while sleep "$KILL_EVERY"; do
    i=$(( round % 3 )); round=$(( round + 1 ))
    kill -9 "${silo_pids[$i]}" 2>/dev/null || true
    echo "$(date +%T) killed silo $i (pid ${silo_pids[$i]})" >> "$OUT/kills.log"
    start_silo "$i"
    echo "${silo_pids[*]}" > "$OUT/silo.pids"
  done
) &
killer=$!
pids+=("$killer")

set +e # the figures below are printed whatever the load tool found
dotnet "$(bin Marketplace.LoadTest)" --url http://127.0.0.1:18080 --rate "$RATE" --orders "$(( RATE * DURATION ))" \
  --warmup 0 --timeout 900 --json "$OUT/load.json" | tee "$OUT/load.txt"
status=${PIPESTATUS[0]}
set -e
kill "$killer" 2>/dev/null || true
[ -f "$OUT/silo.pids" ] && read -r -a silo_pids < "$OUT/silo.pids"

echo
echo "silos killed: $(wc -l < "$OUT/kills.log" 2>/dev/null || echo 0)"
echo "memory (MiB) over time:"
column -s, -t < "$OUT/memory.csv"
exit "$status"
