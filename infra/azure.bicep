// EIP bot's Azure resources, deployed by the Agents Toolkit's arm/deploy step (m365agents.yml) with the values in
// azure.parameters.json: an App Service on Linux running Node 20 (`npm start`, NODE_ENV=production), a Key Vault that
// holds the bot's client secret (and the jobs token), and the Azure Bot registration (single-tenant) with its Teams
// channel. The app reads its secrets as Key Vault references through its own managed identity, so no secret is
// stored in the app's settings. The outputs are written back to env/.env.<env>. docs/deploy.md explains each step.

@maxLength(20)
@minLength(4)
@description('Used to name every resource here; lower-case letters and digits.')
param resourceBaseName string

param location string = resourceGroup().location

@description('App Service plan size, such as B1, P0v3 or P1v3.')
param webAppSku string = 'B1'

@allowed([
  '1'
  '2'
  '3'
  '4'
  '5'
])
@description('App Service instances (a string: the env file\'s value). More than one needs the SharePoint store; with SQLite the plan keeps one.')
param instanceCount string = '1'

@maxLength(42)
param botDisplayName string

@description('Free (F0) or standard (S1) Azure Bot; Teams messages are free on either.')
param botServiceSku string = 'F0'

@description('The bot\'s Entra app registration (client) id, single-tenant.')
param botAadAppClientId string

@secure()
@description('The app registration\'s client secret; it is stored in the Key Vault only.')
param botAadAppClientSecret string

@description('The Microsoft 365 tenant the bot serves (the app registration\'s tenant).')
param tenantId string

@allowed([
  'sharepoint'
  'sqlite'
])
param eipStore string = 'sharepoint'

@description('sharepoint, or the path of a directory file on the server.')
param eipDirectory string = 'sharepoint'

@description('The SharePoint site\'s Graph id (hostname,site-guid,web-guid); needed with the SharePoint store.')
param sharePointSiteId string = ''

@secure()
@description('Bearer token for POST /api/reminders/run; empty leaves that endpoint off (the bot sweeps by itself).')
param jobsToken string = ''

param retentionYearsAfterDob int = 31

var serverfarmName = resourceBaseName
var webAppName = resourceBaseName
var keyVaultName = 'kv-${resourceBaseName}'
var botServiceName = resourceBaseName
// SQLite is one file on one machine: never more than one instance on it.
var instances = eipStore == 'sqlite' ? 1 : int(instanceCount)
// Built-in role "Key Vault Secrets User": read secret values, nothing else.
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource botSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'bot-client-secret'
  properties: {
    value: botAadAppClientSecret
  }
}

resource jobsTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(jobsToken)) {
  parent: keyVault
  name: 'jobs-token'
  properties: {
    value: jobsToken
  }
}

resource serverfarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: serverfarmName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
    capacity: instances
  }
  properties: {
    reserved: true
  }
}

// A Key Vault reference: App Service resolves it with the app's managed identity and never stores the value.
var botSecretRef = '@Microsoft.KeyVault(SecretUri=${botSecret.properties.secretUri})'

var commonSettings = [
  { name: 'NODE_ENV', value: 'production' }
  // App Service installs the packages on Linux when the code arrives. `npm start` compiles first (its prestart),
  // with TypeScript, a development dependency: npm would leave those out under NODE_ENV=production, so they are
  // included explicitly.
  { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
  { name: 'NPM_CONFIG_INCLUDE', value: 'dev' }
  { name: 'MicrosoftAppId', value: botAadAppClientId }
  { name: 'MicrosoftAppPassword', value: botSecretRef }
  { name: 'MicrosoftAppType', value: 'SingleTenant' }
  { name: 'MicrosoftAppTenantId', value: tenantId }
  { name: 'EIP_TENANT_ID', value: tenantId }
  { name: 'EIP_STORE', value: eipStore }
  { name: 'EIP_DIRECTORY', value: eipDirectory }
  // /home is the App Service's persistent disk: the SQLite file, subject access exports and backups live there.
  { name: 'EIP_DATA_DIR', value: '/home/data' }
  { name: 'EIP_RETENTION_YEARS_AFTER_DOB', value: string(retentionYearsAfterDob) }
]

// The SharePoint store signs in to Microsoft Graph as the bot's own app registration, with the same secret.
var sharePointSettings = eipStore == 'sharepoint' ? [
  { name: 'SHAREPOINT_SITE_ID', value: sharePointSiteId }
  { name: 'GRAPH_CREDENTIAL', value: 'secret' }
  { name: 'GRAPH_TENANT_ID', value: tenantId }
  { name: 'GRAPH_CLIENT_ID', value: botAadAppClientId }
  { name: 'GRAPH_CLIENT_SECRET', value: botSecretRef }
] : []

var jobsSettings = empty(jobsToken) ? [] : [
  { name: 'EIP_JOBS_TOKEN', value: '@Microsoft.KeyVault(SecretUri=${jobsTokenSecret.properties.secretUri})' }
]

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'npm start'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      healthCheckPath: '/healthz'
      appSettings: concat(commonSettings, sharePointSettings, jobsSettings)
    }
  }
}

// The app's managed identity may read the vault's secrets, and nothing else.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, webApp.id, keyVaultSecretsUserRoleId)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// The bot's registration: single-tenant, calling the App Service's /api/messages.
resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botServiceName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: botAadAppClientId
    msaAppType: 'SingleTenant'
    msaAppTenantId: tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// Written to env/.env.<env> by the toolkit (https://aka.ms/teamsfx-actions/arm-deploy).
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output KEY_VAULT_NAME string = keyVault.name
