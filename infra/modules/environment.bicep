// A Container Apps environment in a subnet of the cluster's VNet: the silos' (internal: reachable
// from the VNet only, on a private static IP) or the public API's. Container logs go to Log Analytics
// through diagnostic settings (no workspace key handed around).
param name string
param logAnalyticsWorkspaceId string
param location string
param tags object
param subnetId string
@description('True for the silos: no public endpoint; apps reached at the environment\'s static IP.')
param internal bool

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: { destination: 'azure-monitor' }
    vnetConfiguration: {
      infrastructureSubnetId: subnetId
      internal: internal
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
    ]
    zoneRedundant: false
  }
}

resource logs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'container-app-logs'
  scope: environment
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      { category: 'ContainerAppConsoleLogs', enabled: true }
      { category: 'ContainerAppSystemLogs', enabled: true }
    ]
  }
}

output id string = environment.id
@description('The address every silo advertises (with its app\'s exposed ports): the environment\'s internal load balancer.')
output staticIp string = environment.properties.staticIp
