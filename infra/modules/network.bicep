// The cluster's network: the silos' Container Apps environment in one subnet (internal: their silo
// and gateway ports are reachable from this VNet only) and the public API's environment in another,
// from where the API's Orleans client reaches the silos' gateways.
param name string
param location string
param tags object

var delegation = [
  {
    name: 'container-apps'
    properties: { serviceName: 'Microsoft.App/environments' }
  }
]

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: ['10.40.0.0/16'] }
    subnets: [
      {
        name: 'silos'
        properties: { addressPrefix: '10.40.0.0/23', delegations: delegation }
      }
      {
        name: 'api'
        properties: { addressPrefix: '10.40.2.0/23', delegations: delegation }
      }
    ]
  }
}

output siloSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'silos')
output apiSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'api')
