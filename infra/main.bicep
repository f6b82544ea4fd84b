// The marketplace on Azure: `azd up` provisions this, then deploys the silo image to every silo.
// No keys anywhere: the silos reach Event Hubs, Table storage and the registry as one
// user-assigned managed identity, and storage refuses shared keys altogether.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('The azd environment name; the resource group is rg-<name>.')
param environmentName string

@minLength(1)
@description('Region for every resource.')
param location string

@minValue(1)
@maxValue(10)
@description('Silos: each is its own container app with exactly one replica. Three survive the loss of one with a voting majority.')
param siloCount int = 3

@description('vCPU per silo (Container Apps consumption sizes: 0.25 to 4, with memory 2 GiB per vCPU).')
param siloCpu string = '0.5'

@description('Memory per silo, twice the vCPU in GiB.')
param siloMemory string = '1Gi'

@minValue(1)
@maxValue(32)
@description('Event Hub partitions: the unit of parallel delivery. Fixed once the hub exists on the Standard tier.')
param partitionCount int = 8

@minValue(1)
@maxValue(10)
@description('Replicas of the public API app at most (one at least), scaled on concurrent requests.')
param apiMaxReplicas int = 3
@description('The silo image (set by azd after the first deploy); empty on the first provision, when a placeholder runs.')
param siloImageName string = ''

@description('The API app registration\'s application (client) id: the audience of its v2 tokens (README, Security). Until set, nothing but health is reachable.')
param apiAudience string = ''

var tags = { 'azd-env-name': environmentName }
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var identityName = 'id-marketplace-${resourceToken}'

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: resourceGroup
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  scope: resourceGroup
  params: {
    name: 'cr${resourceToken}'
    location: location
    tags: tags
    identityName: identityName
    pullPrincipalId: identity.outputs.principalId
  }
}

module eventHubs 'modules/eventhubs.bicep' = {
  name: 'eventhubs'
  scope: resourceGroup
  params: {
    namespaceName: 'evhns-${resourceToken}'
    hubName: eventHub.name
    consumerGroupName: eventHub.consumerGroup
    partitionCount: partitionCount
    location: location
    tags: tags
    identityName: identityName
    principalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: {
    name: 'st${resourceToken}'
    tableNames: [tables.grainState, tables.membership, tables.checkpoints, tables.reminders]
    location: location
    tags: tags
    identityName: identityName
    principalId: identity.outputs.principalId
  }
}

module network 'modules/network.bicep' = {
  name: 'network'
  scope: resourceGroup
  params: {
    name: 'vnet-${resourceToken}'
    location: location
    tags: tags
  }
}

// The silos' environment is internal: their ports are reachable from the VNet only.
module environment 'modules/environment.bicep' = {
  name: 'environment'
  scope: resourceGroup
  params: {
    name: 'cae-${resourceToken}'
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    location: location
    tags: tags
    subnetId: network.outputs.siloSubnetId
    internal: true
  }
}

// The API's environment is public, in a subnet of the same VNet: its client reaches the silos.
module apiEnvironment 'modules/environment.bicep' = {
  name: 'api-environment'
  scope: resourceGroup
  params: {
    name: 'cae-api-${resourceToken}'
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    location: location
    tags: tags
    subnetId: network.outputs.apiSubnetId
    internal: false
  }
}

// Names the host reads too: the drift test compares the settings below with the azure profile's.
var eventHub = { name: 'marketplace-events', consumerGroup: 'orleans-silos' }
var tables = { grainState: 'MarketplaceState', membership: 'OrleansSiloInstances', checkpoints: 'MarketplaceCheckpoints', reminders: 'MarketplaceReminders' }

// One silo at a time: a provision that changes the silos never restarts them all at once.
@batchSize(1)
module silos 'modules/silo.bicep' = [for i in range(0, siloCount): {
  name: 'silo-${i}'
  scope: resourceGroup
  params: {
    name: 'ca-silo-${i}-${resourceToken}'
    // azd deploys the service to the app with this tag; its postdeploy hook rolls the same image to the others.
    serviceTag: i == 0 ? 'silo' : ''
    location: location
    tags: tags
    environmentId: environment.outputs.id
    advertisedAddress: environment.outputs.staticIp
    // An environment-unique exposed pair per silo (36985 is reserved by the platform).
    siloPort: 11111 + i
    gatewayPort: 30000 + i
    image: siloImageName
    registryServer: registry.outputs.loginServer
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    tableEndpoint: storage.outputs.tableEndpoint
    blobEndpoint: storage.outputs.blobEndpoint
    tables: tables
    eventHubsNamespace: eventHubs.outputs.fullyQualifiedNamespace
    eventHubName: eventHub.name
    consumerGroupName: eventHub.consumerGroup
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    tenantId: tenant().tenantId
    cpu: siloCpu
    memory: siloMemory
    apiAudience: empty(apiAudience) ? 'api://marketplace-${environmentName}' : apiAudience
  }
}]

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name
output AZURE_CONTAINER_APPS_ENVIRONMENT_ID string = environment.outputs.id
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
module api 'modules/api.bicep' = {
  name: 'api'
  scope: resourceGroup
  params: {
    name: 'ca-api-${resourceToken}'
    location: location
    tags: tags
    environmentId: apiEnvironment.outputs.id
    image: siloImageName
    registryServer: registry.outputs.loginServer
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    tableEndpoint: storage.outputs.tableEndpoint
    membershipTable: tables.membership
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    tenantId: tenant().tenantId
    apiAudience: empty(apiAudience) ? 'api://marketplace-${environmentName}' : apiAudience
    maxReplicas: apiMaxReplicas
    cpu: siloCpu
    memory: siloMemory
  }
}

output MARKETPLACE_SILO_APPS array = [for i in range(0, siloCount): silos[i].outputs.name]
output MARKETPLACE_API_APP string = api.outputs.name
output MARKETPLACE_URL string = 'https://${api.outputs.fqdn}'
