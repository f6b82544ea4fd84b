# Runs after `azd deploy` (from the repository root): gives silos 1..N-1, then the API app, the image
# azd just gave silo 0, one at a time, each once the one before is ready (its newest revision passed the readiness
# probe, which needs the silo Active in the cluster's membership). See roll-silos.sh.
$ErrorActionPreference = 'Stop'
function Wait-Ready([string] $app) {
    for ($i = 0; $i -lt 120; $i++) {
        $revisions = az containerapp show --name $app --resource-group $env:AZURE_RESOURCE_GROUP --query "[properties.latestRevisionName, properties.latestReadyRevisionName]" --output json | ConvertFrom-Json
        if ($revisions[0] -and $revisions[0] -eq $revisions[1]) { Write-Host "$app ready ($($revisions[0]))"; return }
        Start-Sleep -Seconds 5
    }
    throw "${app}: revision not ready after 10 minutes; stopping the rollout"
}
$apps = $env:MARKETPLACE_SILO_APPS | ConvertFrom-Json
Wait-Ready $apps[0]
# Then the public API app (the same image in the api role), once every silo runs the new version.
foreach ($app in @($apps | Select-Object -Skip 1) + @($env:MARKETPLACE_API_APP | Where-Object { $_ })) {
    Write-Host "rolling $app to $env:SERVICE_SILO_IMAGE_NAME"
    az containerapp update --name $app --resource-group $env:AZURE_RESOURCE_GROUP --image $env:SERVICE_SILO_IMAGE_NAME --output none
    if ($LASTEXITCODE -ne 0) { throw "az containerapp update failed for $app" }
    Wait-Ready $app
}
