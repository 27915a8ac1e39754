// What the privacy tools need from configuration: where subject access exports are written, and how long a closed
// case is kept.
import path from 'node:path';
import { DEFAULT_RETENTION_YEARS_AFTER_DOB, projectRoot } from '../../config';
import type { AppDeps } from '../ports';

export interface PrivacySettings {
  /** Subject access exports are written here, on the server, never sent in a chat. */
  exportsDir: string;
  /** A closed case is kept until its pupil's date of birth plus this many years. */
  retentionYearsAfterDob: number;
}

/** The settings the application was started with, or the defaults (the project's own data folder). */
export function privacyOf(deps: AppDeps): PrivacySettings {
  return (
    deps.privacy ?? {
      exportsDir: path.join(projectRoot(), 'data', 'exports'),
      retentionYearsAfterDob: DEFAULT_RETENTION_YEARS_AFTER_DOB,
    }
  );
}
