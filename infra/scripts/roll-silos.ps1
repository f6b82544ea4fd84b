# Runs after `azd deploy`: gives silos 1..N-1 the image azd just gave silo 0 (azd sets these variables).
$ErrorActionPreference = 'Stop'
$apps = $env:MARKETPLACE_SILO_APPS | ConvertFrom-Json
foreach ($app in $apps | Select-Object -Skip 1) {
    Write-Host "rolling $app to $env:SERVICE_SILO_IMAGE_NAME"
    az containerapp update --name $app --resource-group $env:AZURE_RESOURCE_GROUP --image $env:SERVICE_SILO_IMAGE_NAME --output none
    if ($LASTEXITCODE -ne 0) { throw "az containerapp update failed for $app" }
}
