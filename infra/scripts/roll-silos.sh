#!/bin/sh
# Runs after `azd deploy` (from the repository root): gives silos 1..N-1, then the API app, the image
# azd just gave silo 0, one at a time. Each silo must have joined before the next is touched: its
# newest revision is ready (the platform has switched to it) and that revision's silo is Active in
# the cluster's membership, as GET /api/admin/cluster shows it. At the end every silo must be Active
# and read stream partitions. Anything short of that within 10 minutes (120 checks, 5 s apart) stops
# the rollout with an error, the rest of the cluster untouched.
#
# The cluster endpoint needs an admin token for the API's app registration (MARKETPLACE_API_AUDIENCE;
# README, Security), which `az rest` asks Entra ID for. Without a registration nothing but health is
# reachable, so only readiness is checked, with a warning.
set -eu
: "${SERVICE_SILO_IMAGE_NAME:?azd sets it after pushing the image}"
: "${AZURE_RESOURCE_GROUP:?}"
: "${MARKETPLACE_SILO_APPS:?}"
attempts=${MARKETPLACE_ROLL_ATTEMPTS:-120}
pause=${MARKETPLACE_ROLL_PAUSE:-5}

# Waits until the app's newest revision is ready; leaves its name in $revision.
wait_ready() {
  i=0
  while :; do
    state=$(az containerapp show --name "$1" --resource-group "$AZURE_RESOURCE_GROUP" \
      --query "[properties.latestRevisionName, properties.latestReadyRevisionName]" --output tsv | tr '\n\t' '  ')
    set -- "$1" $state
    if [ "$#" -eq 3 ] && [ "$2" = "$3" ]; then echo "$1 ready ($2)"; revision=$2; return 0; fi
    i=$((i + 1))
    if [ "$i" -ge "$attempts" ]; then echo "$1: revision ${2:-none} not ready after $i checks; stopping the rollout" >&2; return 1; fi
    sleep "$pause"
  done
}

# A JMESPath query over GET /api/admin/cluster, as an admin.
cluster() {
  az rest --method get --url "${MARKETPLACE_URL:?}/api/admin/cluster" --resource "$MARKETPLACE_API_AUDIENCE" --query "$1" --output tsv
}

# Waits until the cluster endpoint answers $2 (a query) with $3; else prints $4 and the cluster, and fails.
wait_cluster() {
  i=0
  while [ "$(cluster "$2" || true)" != "$3" ]; do
    i=$((i + 1))
    if [ "$i" -ge "$attempts" ]; then
      echo "$1 after $i checks; stopping the rollout. The cluster (address, name, status, partitions):" >&2
      cluster "[].[address, name, status, join(',', partitions)]" >&2 || true
      return 1
    fi
    sleep "$pause"
  done
}

# The silo of the app's ready revision (its replica's name begins with the revision's) is Active.
wait_joined() {
  [ -n "${MARKETPLACE_API_AUDIENCE:-}" ] || return 0
  wait_cluster "$1: no silo of revision $revision is Active in the cluster" \
    "length([?status=='Active' && starts_with(name, '$revision-')])" 1
  echo "$1 joined the cluster"
}

# MARKETPLACE_SILO_APPS is the JSON array output of main.bicep: ["ca-silo-0-...","ca-silo-1-...",...]
apps=$(echo "$MARKETPLACE_SILO_APPS" | tr -d '[]" ' | tr ',' '\n')
if [ -z "${MARKETPLACE_API_AUDIENCE:-}" ]; then
  echo "warning: MARKETPLACE_API_AUDIENCE is not set (no app registration, README Security): checking readiness only, not membership and partitions" >&2
fi

first=$(echo "$apps" | head -n 1)
wait_ready "$first"
wait_joined "$first"
for app in $(echo "$apps" | tail -n +2); do
  echo "rolling $app to $SERVICE_SILO_IMAGE_NAME"
  az containerapp update --name "$app" --resource-group "$AZURE_RESOURCE_GROUP" --image "$SERVICE_SILO_IMAGE_NAME" --output none
  wait_ready "$app"
  wait_joined "$app"
done

if [ -n "${MARKETPLACE_API_AUDIENCE:-}" ]; then
  count=$(echo "$apps" | wc -l | tr -d ' ')
  wait_cluster "not every silo is Active and reading partitions" \
    "join(' ', [to_string(length([?status=='Active'])), to_string(length([?status=='Active' && length(partitions) == \`0\`]))])" "$count 0"
  echo "cluster verified: $count silos Active, each reading stream partitions"
fi

# Then the public API app (the same image in the api role), once every silo runs the new version.
if [ -n "${MARKETPLACE_API_APP:-}" ]; then
  echo "rolling $MARKETPLACE_API_APP to $SERVICE_SILO_IMAGE_NAME"
  az containerapp update --name "$MARKETPLACE_API_APP" --resource-group "$AZURE_RESOURCE_GROUP" --image "$SERVICE_SILO_IMAGE_NAME" --output none
  wait_ready "$MARKETPLACE_API_APP"
fi
