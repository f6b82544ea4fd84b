// The hub the order events travel on, the silos' own consumer group, and send + receive rights for
// the silos' identity. Standard tier: Basic allows only the $Default consumer group.
param namespaceName string
param hubName string
param consumerGroupName string
param partitionCount int
param location string
param tags object
@description('Names the role assignments: known when the deployment starts, unlike the principal id.')
param identityName string
param principalId string

var dataSenderRole = '2b629674-e913-4c01-ae53-ef4638d8f975'
var dataReceiverRole = 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde'

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
    capacity: 1
  }
  properties: {
    disableLocalAuth: true // Entra ID only: no SAS keys
    minimumTlsVersion: '1.2'
  }
}

resource hub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: hubName
  properties: {
    partitionCount: partitionCount
    messageRetentionInDays: 1
  }
}

resource consumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = {
  parent: hub
  name: consumerGroupName
}

resource roles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [dataSenderRole, dataReceiverRole]: {
  name: guid(hub.id, identityName, role)
  scope: hub
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
