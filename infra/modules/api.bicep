// The public tier: the HTTP API, store pages, live view, OpenAPI and the Orleans Dashboard, served by
// the same image in the api role (an Orleans client, no silo) from an environment of its own in the
// cluster's VNet. It finds the silos' gateways in the membership table and reaches them at the silo
// environment's static IP. Public HTTPS ingress, 1..N replicas scaled on concurrent requests.
param name string
param location string
param tags object
param environmentId string
@description('Empty until azd has pushed the first image: a placeholder runs meanwhile.')
param image string
param registryServer string
param identityId string
param identityClientId string
param tableEndpoint string
@description('The membership table, where the silos register their gateways.')
param membershipTable string
param applicationInsightsConnectionString string
param tenantId string
param apiAudience string
param maxReplicas int
param cpu string
param memory string

var placeholder = empty(image)
var httpPort = placeholder ? 80 : 8080

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  tags: tags
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
      }
      registries: [
        {
          server: registryServer
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'api'
          image: placeholder ? 'mcr.microsoft.com/k8se/quickstart:latest' : image
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          probes: placeholder ? [] : [
            {
              type: 'Liveness'
              httpGet: { path: '/health/live', port: httpPort }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              // Ready once the cluster answers through the client: only then does traffic come.
              type: 'Readiness'
              httpGet: { path: '/health/ready', port: httpPort }
              periodSeconds: 5
              failureThreshold: 6
            }
          ]
          // The api role's settings; tests/.../Deployment compares these names with the host's.
          env: [
            { name: 'Marketplace__Profile', value: 'azure' }
            { name: 'Marketplace__Role', value: 'api' }
            { name: 'ASPNETCORE_HTTP_PORTS', value: string(httpPort) }
            { name: 'Orleans__ClusterId', value: 'marketplace' }
            { name: 'Orleans__ServiceId', value: 'marketplace' }
            { name: 'AZURE_CLIENT_ID', value: identityClientId }
            { name: 'Azure__TableEndpoint', value: tableEndpoint }
            { name: 'Marketplace__Tables__Membership', value: membershipTable }
            { name: 'Marketplace__Auth__Entra__TenantId', value: tenantId }
            { name: 'Marketplace__Auth__Entra__Audience', value: apiAudience }
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
          ]
        }
      ]
      scale: {
        minReplicas: 1
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'http'
            http: { metadata: { concurrentRequests: '100' } }
          }
        ]
      }
    }
  }
}

output name string = app.name
output fqdn string = app.properties.configuration.ingress.fqdn
