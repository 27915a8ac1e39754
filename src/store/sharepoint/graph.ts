// Small pieces of Graph protocol shared by the store and provisioning: error statuses, OData literals, paging
// through @odata.nextLink, JSON $batch with its sub-requests retried, and reading a site's lists and columns.
import type { Client } from '@microsoft/microsoft-graph-client';
import type { ColumnSpec, ColumnType } from './schema';

/** The HTTP status of a failed Graph call, if it got as far as a response. */
export const statusOf = (e: unknown): number | undefined => {
  const status = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status > 0 ? status : undefined;
};

/** An OData string literal: quoted, with quotes doubled. */
export const odataString = (v: string): string => `'${v.replace(/'/g, "''")}'`;

/** A path with its query string encoded (the SDK passes query values through as given). */
export const withQuery = (path: string, query: Record<string, string | undefined>): string => {
  const parts = Object.entries(query)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
};

interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

/** Every item of a collection, following @odata.nextLink page by page. */
export async function getAll<T>(client: Client, path: string, first?: Page<T>): Promise<T[]> {
  const out: T[] = [];
  let page: Page<T> = first ?? ((await client.api(path).get()) as Page<T>);
  for (;;) {
    out.push(...(page.value ?? []));
    const next = page['@odata.nextLink'];
    if (!next) return out;
    page = (await client.api(next).get()) as Page<T>;
  }
}

export interface BatchRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the version, e.g. /sites/{site}/lists. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface BatchResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export const BATCH_LIMIT = 20;
const THROTTLED = new Set([429, 503]);
/** Throttled sub-requests are sent again; so is a read that timed out at the gateway, which changed nothing. */
const retryable = (method: string, status: number) =>
  THROTTLED.has(status) || (method === 'GET' && status === 504);

export interface BatchOptions {
  /** Attempts for a sub-request answered 429 or 503 (the SDK retries only the $batch request itself). */
  maxAttempts?: number;
  /** Wait when a throttled sub-response gives no Retry-After, in seconds. */
  delaySeconds?: number;
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const retryAfterSeconds = (headers: Record<string, string>, fallback: number): number => {
  const raw = Object.entries(headers).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (Number.isFinite(n)) return Math.max(0, n);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? fallback : Math.max(0, (at - Date.now()) / 1000);
};

/**
 * Sends requests as JSON $batch, at most 20 at a time, and answers in the order asked. The SDK retries the $batch
 * request itself, not what is inside it: sub-requests answered 429 or 503 (and GETs answered 504) are sent again, in
 * a new batch of their own, after the longest Retry-After they gave.
 */
export async function batch(
  client: Client,
  requests: readonly BatchRequest[],
  options: BatchOptions = {},
): Promise<BatchResponse[]> {
  const maxAttempts = options.maxAttempts ?? 6;
  const sleep = options.sleep ?? wait;
  const results: (BatchResponse | undefined)[] = new Array(requests.length);
  for (let start = 0; start < requests.length; start += BATCH_LIMIT) {
    let pending = requests.slice(start, start + BATCH_LIMIT).map((_, i) => start + i);
    for (let attempt = 1; pending.length > 0; attempt++) {
      const body = {
        requests: pending.map((index) => {
          const r = requests[index]!;
          const headers = {
            ...(r.body !== undefined && { 'Content-Type': 'application/json' }),
            ...r.headers,
          };
          return {
            id: String(index),
            method: r.method,
            url: r.url,
            ...(Object.keys(headers).length && { headers }),
            ...(r.body !== undefined && { body: r.body }),
          };
        }),
      };
      const answer = (await client.api('/$batch').post(body)) as {
        responses?: { id: string; status: number; headers?: Record<string, string>; body?: unknown }[];
      };
      const throttled: number[] = [];
      let waitSeconds = 0;
      for (const r of answer.responses ?? []) {
        const index = Number(r.id);
        const response = { status: r.status, headers: r.headers ?? {}, body: r.body };
        results[index] = response;
        if (retryable(requests[index]!.method, r.status) && attempt < maxAttempts) {
          throttled.push(index);
          const fallback = (options.delaySeconds ?? 1) * 2 ** (attempt - 1);
          waitSeconds = Math.max(waitSeconds, retryAfterSeconds(response.headers, fallback));
        }
      }
      pending = throttled;
      if (pending.length) await sleep(waitSeconds * 1000);
    }
  }
  return requests.map((r, i) => {
    const result = results[i];
    if (!result) throw new Error(`the $batch answer had no response to ${r.method} ${r.url}`);
    return result;
  });
}

/** A column as Graph describes it (the facets the store and provisioning look at). */
export interface GraphColumn {
  id?: string;
  name: string;
  displayName?: string;
  indexed?: boolean;
  enforceUniqueValues?: boolean;
  readOnly?: boolean;
  text?: { allowMultipleLines?: boolean };
  number?: object;
  dateTime?: object;
  choice?: { choices?: string[] };
  boolean?: object;
}

export interface GraphList {
  id: string;
  name?: string;
  displayName: string;
  columns?: GraphColumn[];
}

/** What a column of a list actually is, in the schema's terms. */
export function columnTypeOf(col: GraphColumn): ColumnType | 'other' {
  if (col.text) return col.text.allowMultipleLines ? 'note' : 'text';
  if (col.number) return 'number';
  if (col.dateTime) return 'dateTime';
  if (col.choice) return 'choice';
  if (col.boolean) return 'boolean';
  return 'other';
}

/** The body that creates a column. */
export function columnDefinition(spec: ColumnSpec): Record<string, unknown> {
  const facet: Record<ColumnType, Record<string, unknown>> = {
    text: { text: { allowMultipleLines: false, maxLength: 255 } },
    note: { text: { allowMultipleLines: true, textType: 'plain', linesForEditing: 6 } },
    number: { number: {} },
    dateTime: { dateTime: { format: 'dateTime', displayAs: 'default' } },
    // Text entry allowed: a value the domain adds later is still written, not refused.
    choice: {
      choice: { choices: [...(spec.choices ?? [])], allowTextEntry: true, displayAs: 'dropDownMenu' },
    },
    boolean: { boolean: {} },
  };
  return {
    name: spec.name,
    displayName: spec.name,
    ...facet[spec.type],
    ...((spec.indexed || spec.unique) && { indexed: true }),
    ...(spec.unique && { enforceUniqueValues: true }),
  };
}

/** A site as the store and provisioning see it: its canonical id and its lists with their columns. */
export interface SiteState {
  siteId: string;
  displayName?: string;
  lists: GraphList[];
}

export class SiteNotFoundError extends Error {
  constructor(
    readonly siteId: string,
    readonly status: number,
  ) {
    super(
      status === 404
        ? `SharePoint site ${siteId} was not found: check SHAREPOINT_SITE_ID.`
        : `Graph refused to read SharePoint site ${siteId} (HTTP ${status}): check the app's permission on the site.`,
    );
    this.name = 'SiteNotFoundError';
  }
}

/** Reads the site and all its lists with their columns: one $batch, plus any further pages of lists. */
export async function readSite(client: Client, siteId: string, options?: BatchOptions): Promise<SiteState> {
  const sitePath = `/sites/${siteId}`;
  const [site, lists] = await batch(
    client,
    [
      { method: 'GET', url: withQuery(sitePath, { $select: 'id,displayName' }) },
      { method: 'GET', url: withQuery(`${sitePath}/lists`, { $expand: 'columns' }) },
    ],
    options,
  );
  for (const r of [site!, lists!]) {
    if (r.status >= 400) {
      if (r.status === 404 || r.status === 401 || r.status === 403)
        throw new SiteNotFoundError(siteId, r.status);
      throw Object.assign(new Error(`Graph answered ${r.status} reading SharePoint site ${siteId}`), {
        statusCode: r.status,
      });
    }
  }
  const siteBody = site!.body as { id?: string; displayName?: string };
  const all = await getAll<GraphList>(client, `${sitePath}/lists`, lists!.body as Page<GraphList>);
  return {
    siteId: siteBody.id ?? siteId,
    ...(siteBody.displayName !== undefined && { displayName: siteBody.displayName }),
    lists: all,
  };
}

/** The column of a list that a spec names: by internal name, else by display name (created by hand). */
export const findColumn = (list: GraphList, name: string): GraphColumn | undefined =>
  list.columns?.find((c) => c.name === name) ?? list.columns?.find((c) => c.displayName === name);

/** How a column differs from its spec, in words, or nothing. */
export function columnDrift(spec: ColumnSpec, col: GraphColumn): string[] {
  const problems: string[] = [];
  const actual = columnTypeOf(col);
  if (actual !== spec.type) problems.push(`is ${actual}, not ${spec.type}`);
  if ((spec.indexed || spec.unique) && !col.indexed) problems.push('is not indexed');
  if (spec.unique && !col.enforceUniqueValues) problems.push('does not enforce unique values');
  return problems;
}
