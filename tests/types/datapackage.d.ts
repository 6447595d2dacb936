/** The part of the Frictionless reference library (datapackage@1.1.10, no bundled types) the tests use. */
declare module 'datapackage' {
  export interface DescriptorError extends Error {
    errors?: Error[];
  }
  export interface Profile {
    name: string;
  }
  export interface Resource {
    name: string;
    tabular: boolean;
    inline: boolean;
    profile: Profile;
    descriptor: Record<string, unknown> & { path?: string; schema?: unknown };
    headers: string[] | null;
    read(options?: { keyed?: boolean; relations?: boolean; cast?: boolean; limit?: number }): Promise<Record<string, unknown>[]>;
    checkRelations(): Promise<true>;
  }
  export class Package {
    static load(descriptor: string | object, basePath?: string, strict?: boolean): Promise<Package>;
    valid: boolean;
    errors: DescriptorError[];
    profile: Profile;
    descriptor: Record<string, unknown>;
    resources: Resource[];
    getResource(name: string): Resource | null;
  }
  export function validate(descriptor: string | object, basePath?: string): Promise<{ valid: boolean; errors: DescriptorError[] }>;
}
