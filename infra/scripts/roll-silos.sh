#!/bin/sh
# Runs after `azd deploy` (from the repository root): gives silos 1..N-1, then the API app, the image
# azd just gave silo 0, one at a time. Each silo must be ready before the next is touched: its newest revision
# passed the readiness probe, which needs the silo Active in the cluster's membership. A silo that
# does not get there in 10 minutes (120 checks, 5 s apart) stops the rollout with an error, the rest
# of the cluster untouched.
set -eu
: "${SERVICE_SILO_IMAGE_NAME:?azd sets it after pushing the image}"
: "${AZURE_RESOURCE_GROUP:?}"
: "${MARKETPLACE_SILO_APPS:?}"

wait_ready() {
  i=0
  while :; do
    state=$(az containerapp show --name "$1" --resource-group "$AZURE_RESOURCE_GROUP" \
      --query "[properties.latestRevisionName, properties.latestReadyRevisionName]" --output tsv | tr '\n\t' '  ')
    set -- "$1" $state
    if [ "$#" -eq 3 ] && [ "$2" = "$3" ]; then echo "$1 ready ($2)"; return 0; fi
    i=$((i + 1))
    if [ "$i" -ge "${MARKETPLACE_ROLL_ATTEMPTS:-120}" ]; then echo "$1: revision ${2:-none} not ready after $i checks; stopping the rollout" >&2; return 1; fi
    sleep "${MARKETPLACE_ROLL_PAUSE:-5}"
  done
}

# MARKETPLACE_SILO_APPS is the JSON array output of main.bicep: ["ca-silo-0-...","ca-silo-1-...",...]
apps=$(echo "$MARKETPLACE_SILO_APPS" | tr -d '[]" ' | tr ',' '\n')
wait_ready "$(echo "$apps" | head -n 1)"
# Then the public API app (the same image in the api role), once every silo runs the new version.
for app in $(echo "$apps" | tail -n +2) ${MARKETPLACE_API_APP:-}; do
  echo "rolling $app to $SERVICE_SILO_IMAGE_NAME"
  az containerapp update --name "$app" --resource-group "$AZURE_RESOURCE_GROUP" --image "$SERVICE_SILO_IMAGE_NAME" --output none
  wait_ready "$app"
done
