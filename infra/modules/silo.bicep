// One silo: a container app with exactly one replica, as Orleans documents for Container Apps.
// The public HTTP ingress serves the API, the dashboard and health; the silo and gateway ports are
// open inside the environment only. Each silo advertises its own replica address.
param name string
@description('azd-service-name tag value; empty for silos azd does not deploy to directly.')
param serviceTag string
param location string
param tags object
param environmentId string
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
param partitionCount int
param applicationInsightsConnectionString string
param tenantId string
param apiAudience string
param cpu string
param memory string

var placeholder = empty(image)
var httpPort = placeholder ? 80 : 8080
var siloPort = 11111
var gatewayPort = 30000

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
    // Ready once the silo has joined and storage and streams answer: only then does traffic come.
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
      ingress: {
        external: true
        targetPort: httpPort
        transport: 'auto'
        allowInsecure: false
        additionalPortMappings: [
          { external: false, targetPort: siloPort, exposedPort: siloPort }
          { external: false, targetPort: gatewayPort, exposedPort: gatewayPort }
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
            { name: 'ASPNETCORE_HTTP_PORTS', value: string(httpPort) }
            { name: 'Orleans__ClusterId', value: 'marketplace' }
            { name: 'Orleans__ServiceId', value: 'marketplace' }
            { name: 'Orleans__SiloPort', value: string(siloPort) }
            { name: 'Orleans__GatewayPort', value: string(gatewayPort) }
            { name: 'AZURE_CLIENT_ID', value: identityClientId }
            { name: 'Azure__TableEndpoint', value: tableEndpoint }
            { name: 'Azure__BlobEndpoint', value: blobEndpoint }
            { name: 'Marketplace__Tables__GrainState', value: tables.grainState }
            { name: 'Marketplace__Tables__Membership', value: tables.membership }
            { name: 'Marketplace__Tables__Checkpoints', value: tables.checkpoints }
            { name: 'Azure__EventHubsNamespace', value: eventHubsNamespace }
            { name: 'Marketplace__EventHubs__Hub', value: eventHubName }
            { name: 'Marketplace__EventHubs__ConsumerGroup', value: consumerGroupName }
            { name: 'Marketplace__EventHubs__PartitionCount', value: string(partitionCount) }
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
output fqdn string = app.properties.configuration.ingress.fqdn
