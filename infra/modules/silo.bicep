// One silo: a container app with exactly one replica in the internal environment, as the Orleans
// docs prescribe for Container Apps. Its app-level TCP ingress exposes an environment-unique pair of
// ports (silo, gateway) at the environment's static IP, which the silo advertises with them; it
// listens on the target ports behind them. Nothing of it is reachable from outside the VNet; the
// public API is the api app's.
param name string
@description('azd-service-name tag value; empty for silos azd does not deploy to directly.')
param serviceTag string
param location string
param tags object
param environmentId string
@description('The silo environment\'s static IP: where other silos and the API\'s client reach this silo.')
param advertisedAddress string
@description('This silo\'s exposed silo port, unique in the environment (its target port is 11111).')
param siloPort int
@description('This silo\'s exposed gateway port, unique in the environment (its target port is 30000).')
param gatewayPort int
@description('Empty until azd has pushed the first image: a placeholder runs meanwhile.')
param image string
param registryServer string
param identityId string
param identityClientId string
param tableEndpoint string
@description('Blob storage for the leases that spread the hub\'s partitions over the silos.')
param blobEndpoint string
@description('Table names by role: grainState, membership, checkpoints.')
param tables object
param eventHubsNamespace string
param eventHubName string
param consumerGroupName string
param applicationInsightsConnectionString string
param tenantId string
param apiAudience string
param cpu string
param memory string

var placeholder = empty(image)
var httpPort = placeholder ? 80 : 8080
var siloTargetPort = 11111
var gatewayTargetPort = 30000

var probes = placeholder ? [] : [
  {
    type: 'Startup'
    httpGet: { path: '/health/live', port: httpPort }
    periodSeconds: 5
    failureThreshold: 30
  }
  {
    type: 'Liveness'
    httpGet: { path: '/health/live', port: httpPort }
    periodSeconds: 10
    failureThreshold: 3
  }
  {
    // Ready once the silo has joined and storage and streams answer: only then does traffic come. A new
    // revision's silo is also ready while it stands by for the old one at the same endpoint, which the
    // platform stops only once the new one is ready (PredecessorStandby; the rollout waits on membership).
    type: 'Readiness'
    httpGet: { path: '/health/ready', port: httpPort }
    periodSeconds: 5
    failureThreshold: 6
  }
]

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  tags: union(tags, empty(serviceTag) ? {} : { 'azd-service-name': serviceTag })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      // "external" means at the environment's edge; the environment is internal, so the VNet only.
      ingress: {
        external: true
        transport: 'tcp'
        targetPort: siloTargetPort
        exposedPort: siloPort
        additionalPortMappings: [
          { external: true, targetPort: gatewayTargetPort, exposedPort: gatewayPort }
        ]
      }
      registries: [
        {
          server: registryServer
          identity: identityId
        }
      ]
    }
    template: {
      // Time for a graceful silo shutdown: hand activations and stream queues to the others.
      terminationGracePeriodSeconds: 60
      containers: [
        {
          name: 'silo'
          image: placeholder ? 'mcr.microsoft.com/k8se/quickstart:latest' : image
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          probes: probes
          // The azure profile's settings; tests/.../Deployment compares these names with the host's.
          env: [
            { name: 'Marketplace__Profile', value: 'azure' }
            { name: 'Marketplace__Role', value: 'silo' }
            { name: 'ASPNETCORE_HTTP_PORTS', value: string(httpPort) }
            { name: 'Orleans__ClusterId', value: 'marketplace' }
            { name: 'Orleans__ServiceId', value: 'marketplace' }
            { name: 'Orleans__AdvertisedIPAddress', value: advertisedAddress }
            { name: 'Orleans__SiloPort', value: string(siloPort) }
            { name: 'Orleans__SiloListeningPort', value: string(siloTargetPort) }
            { name: 'Orleans__GatewayPort', value: string(gatewayPort) }
            { name: 'Orleans__GatewayListeningPort', value: string(gatewayTargetPort) }
            { name: 'AZURE_CLIENT_ID', value: identityClientId }
            { name: 'Azure__TableEndpoint', value: tableEndpoint }
            { name: 'Azure__BlobEndpoint', value: blobEndpoint }
            { name: 'Marketplace__Tables__GrainState', value: tables.grainState }
            { name: 'Marketplace__Tables__Membership', value: tables.membership }
            { name: 'Marketplace__Tables__Checkpoints', value: tables.checkpoints }
            { name: 'Marketplace__Tables__Reminders', value: tables.reminders }
            { name: 'Azure__EventHubsNamespace', value: eventHubsNamespace }
            { name: 'Marketplace__EventHubs__Hub', value: eventHubName }
            { name: 'Marketplace__EventHubs__ConsumerGroup', value: consumerGroupName }
            { name: 'Marketplace__Auth__Entra__TenantId', value: tenantId }
            { name: 'Marketplace__Auth__Entra__Audience', value: apiAudience }
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
          ]
        }
      ]
      scale: {
        minReplicas: 1
        maxReplicas: 1
      }
    }
  }
}

output name string = app.name
