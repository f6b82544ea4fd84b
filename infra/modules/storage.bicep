// Table storage for grain state, cluster membership and Event Hubs checkpoints; Blob storage for the
// leases that spread the hub's partitions over the silos. Shared keys are off: the silos' identity
// is the only way in (Storage Table Data Contributor, Storage Blob Data Contributor).
param name string
param tableNames array
param location string
param tags object
@description('Names the role assignments: known when the deployment starts, unlike the principal id.')
param identityName string
param principalId string

var tableDataContributorRole = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var blobDataContributorRole = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for table in tableNames: {
  parent: tableService
  name: table
}]

resource contributors 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [tableDataContributorRole, blobDataContributorRole]: {
  name: guid(account.id, identityName, role)
  scope: account
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

output tableEndpoint string = account.properties.primaryEndpoints.table
output blobEndpoint string = account.properties.primaryEndpoints.blob
