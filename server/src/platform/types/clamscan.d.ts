// The part of clamscan@2 CareDesk uses; the package ships no types.
declare module 'clamscan' {
  import type { Readable } from 'node:stream';
  interface ScanResult {
    isInfected: boolean | null;
    viruses: string[];
  }
  interface Options {
    removeInfected?: boolean;
    clamscan?: { active: boolean };
    clamdscan?: { host?: string; port?: number; socket?: string; timeout?: number; localFallback?: boolean; active?: boolean; bypassTest?: boolean };
    preference?: 'clamdscan' | 'clamscan';
  }
  export default class NodeClam {
    init(options: Options): Promise<NodeClam>;
    scanStream(stream: Readable): Promise<ScanResult>;
  }
}
