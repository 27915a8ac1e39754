// PLACEHOLDER: the sharepoint suite is written in another branch and replaces this file on merge.
import type { Suite } from '../types';

export const sharepoint: Suite = { name: 'SharePoint', run: async () => [] };
