// Values for the manifest's placeholders, such as provision and an LA's env file give them.
/** Values such as provision writes, for the placeholders. */
export const SAMPLE_VALUES: Record<string, string> = {
  TEAMS_APP_ID: '6f1c2a4e-0b7d-4c1e-9a53-2d8e7f0a1b2c',
  BOT_ID: '0d9e8f7a-6b5c-4d3e-8f21-0a1b2c3d4e5f',
  DEVELOPER_NAME: 'Anyshire County Council',
  DEVELOPER_WEBSITE_URL: 'https://www.anyshire.gov.uk/eip',
  DEVELOPER_PRIVACY_URL: 'https://www.anyshire.gov.uk/eip/privacy',
  DEVELOPER_TERMS_URL: 'https://www.anyshire.gov.uk/eip/terms',
  APP_NAME_SUFFIX: '',
  BOT_DOMAIN: 'eipanyshire.azurewebsites.net',
};
