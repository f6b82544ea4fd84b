#!/bin/sh
# Runs after `azd deploy`: gives silos 1..N-1 the image azd just gave silo 0 (azd sets these variables).
set -eu
: "${SERVICE_SILO_IMAGE_NAME:?azd sets it after pushing the image}"
: "${AZURE_RESOURCE_GROUP:?}"
: "${MARKETPLACE_SILO_APPS:?}"
# MARKETPLACE_SILO_APPS is the JSON array output of main.bicep: ["ca-silo-0-...","ca-silo-1-...",...]
for app in $(echo "$MARKETPLACE_SILO_APPS" | tr -d '[]" ' | tr ',' '\n' | tail -n +2); do
  echo "rolling $app to $SERVICE_SILO_IMAGE_NAME"
  az containerapp update --name "$app" --resource-group "$AZURE_RESOURCE_GROUP" --image "$SERVICE_SILO_IMAGE_NAME" --output none
done
