# Runs after `azd deploy` (from the repository root): gives silos 1..N-1, then the API app, the image
# azd just gave silo 0, one at a time, each once the one before has joined (its newest revision is
# ready and that revision's silo Active in GET /api/admin/cluster); at the end every silo must be
# Active and read stream partitions. The Windows twin of roll-silos.sh: see there.
$ErrorActionPreference = 'Stop'
$attempts = if ($env:MARKETPLACE_ROLL_ATTEMPTS) { [int]$env:MARKETPLACE_ROLL_ATTEMPTS } else { 120 }
$pause = if ($env:MARKETPLACE_ROLL_PAUSE) { [int]$env:MARKETPLACE_ROLL_PAUSE } else { 5 }
$audience = $env:MARKETPLACE_API_AUDIENCE

function Wait-Ready([string] $app) {
    for ($i = 0; $i -lt $attempts; $i++) {
        $revisions = az containerapp show --name $app --resource-group $env:AZURE_RESOURCE_GROUP --query "[properties.latestRevisionName, properties.latestReadyRevisionName]" --output json | ConvertFrom-Json
        if ($revisions[0] -and $revisions[0] -eq $revisions[1]) { Write-Host "$app ready ($($revisions[0]))"; return $revisions[0] }
        Start-Sleep -Seconds $pause
    }
    throw "${app}: revision not ready after $attempts checks; stopping the rollout"
}

function Get-Cluster {
    az rest --method get --url "$env:MARKETPLACE_URL/api/admin/cluster" --resource $audience --output json | ConvertFrom-Json
}

function Wait-Cluster([string] $failure, [scriptblock] $settled) {
    for ($i = 0; $i -lt $attempts; $i++) {
        $silos = @(Get-Cluster)
        if ($LASTEXITCODE -eq 0 -and (& $settled $silos)) { return }
        Start-Sleep -Seconds $pause
    }
    $silos | Format-Table address, name, status, partitions | Out-String | Write-Host
    throw "$failure after $attempts checks; stopping the rollout"
}

function Wait-Joined([string] $app, [string] $revision) {
    if (-not $audience) { return }
    Wait-Cluster "${app}: no silo of revision $revision is Active in the cluster" {
        param($silos) @($silos | Where-Object { $_.status -eq 'Active' -and $_.name.StartsWith("$revision-") }).Count -eq 1
    }
    Write-Host "$app joined the cluster"
}

$apps = @($env:MARKETPLACE_SILO_APPS | ConvertFrom-Json)
if (-not $audience) {
    Write-Warning 'MARKETPLACE_API_AUDIENCE is not set (no app registration, README Security): checking readiness only, not membership and partitions'
}

Wait-Joined $apps[0] (Wait-Ready $apps[0])
foreach ($app in @($apps | Select-Object -Skip 1)) {
    Write-Host "rolling $app to $env:SERVICE_SILO_IMAGE_NAME"
    az containerapp update --name $app --resource-group $env:AZURE_RESOURCE_GROUP --image $env:SERVICE_SILO_IMAGE_NAME --output none
    if ($LASTEXITCODE -ne 0) { throw "az containerapp update failed for $app" }
    Wait-Joined $app (Wait-Ready $app)
}

if ($audience) {
    Wait-Cluster 'not every silo is Active and reading partitions' {
        param($silos)
        $active = @($silos | Where-Object { $_.status -eq 'Active' })
        $active.Count -eq $apps.Count -and -not ($active | Where-Object { $_.partitions.Count -eq 0 })
    }
    Write-Host "cluster verified: $($apps.Count) silos Active, each reading stream partitions"
}

# Then the public API app (the same image in the api role), once every silo runs the new version.
if ($env:MARKETPLACE_API_APP) {
    Write-Host "rolling $env:MARKETPLACE_API_APP to $env:SERVICE_SILO_IMAGE_NAME"
    az containerapp update --name $env:MARKETPLACE_API_APP --resource-group $env:AZURE_RESOURCE_GROUP --image $env:SERVICE_SILO_IMAGE_NAME --output none
    if ($LASTEXITCODE -ne 0) { throw "az containerapp update failed for $env:MARKETPLACE_API_APP" }
    $null = Wait-Ready $env:MARKETPLACE_API_APP
}
