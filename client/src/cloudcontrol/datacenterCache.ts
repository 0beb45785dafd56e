// The CloudControl data centres' limits as last read from the API, kept in globalState with the
// time read, and handed to the language server inside its `ovfkit` configuration
// (`cloudcontrol.datacenters`), so the chosen data centre's limits judge the descriptors.
import * as vscode from 'vscode';
import type { LanguageClientOptions } from 'vscode-languageclient/node';
import type { DatacenterLimits, KnownDatacenter } from '../../../server/src/ovf';

const STATE_KEY = 'ovfkit.cloudcontrol.datacenters';

/** The part of the API client's `Datacenter` the cache keeps. */
export interface DatacenterRead { id: string; city: string; limits: DatacenterLimits }

export class DatacenterCache {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after `store`: the language server must pull its configuration again. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  all(): Record<string, KnownDatacenter> {
    return this.state.get<Record<string, KnownDatacenter>>(STATE_KEY) ?? {};
  }

  /** Keeps what was just read from the API, stamped with the time read; other ids are kept. */
  async store(datacenters: readonly DatacenterRead[], readAt = new Date()): Promise<void> {
    const next = { ...this.all() };
    for (const dc of datacenters) next[dc.id] = { city: dc.city, limits: dc.limits, readAt: readAt.toISOString() };
    await this.state.update(STATE_KEY, next);
    this.changed.fire();
  }
}

/**
 * Middleware that adds the cached data centres to every `ovfkit` configuration the server pulls
 * (the settings themselves hold only the chosen id, `ovfkit.cloudcontrol.datacenter`).
 */
export function datacenterConfigurationMiddleware(cache: DatacenterCache): NonNullable<LanguageClientOptions['middleware']>['workspace'] {
  return {
    configuration: async (params, token, next) => {
      const result = await next(params, token);
      if (!Array.isArray(result)) return result;
      return result.map((section, i) => {
        if (params.items[i]?.section !== 'ovfkit' || !section || typeof section !== 'object') return section;
        const cloudcontrol = { ...(section as { cloudcontrol?: object }).cloudcontrol, datacenters: cache.all() };
        return { ...section, cloudcontrol };
      });
    },
  };
}
