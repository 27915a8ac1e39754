export * from './verbs';
export * from './render';
export * from './help-card';
export * from './notice-card';
export * from './form-card';
export * from './case-card';
export * from './cases-card';
export * from './panel-card';
