import { badParam } from './errors.js';

/**
 * Request parameters as Grape sees them: query string and body merged (body wins), arrays either
 * as JSON arrays, `name[]=a&name[]=b`, or GitLab's comma-separated strings.
 */
export class Input {
  constructor(
    private readonly query: URLSearchParams,
    private readonly body: Record<string, unknown>,
  ) {}

  /** Scalars as text; a nested object is not a parameter GitLab would accept. */
  private scalar(name: string, value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
    throw badParam(`${name} is invalid`);
  }

  private raw(name: string): unknown {
    if (Object.hasOwn(this.body, name)) return this.body[name];
    if (Object.hasOwn(this.body, `${name}[]`)) return this.body[`${name}[]`];
    if (this.query.has(`${name}[]`)) return this.query.getAll(`${name}[]`);
    if (this.query.has(name)) return this.query.get(name);
    return undefined;
  }

  has(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  string(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value.map((item) => this.scalar(name, item)).join(',');
    return this.scalar(name, value);
  }

  requireString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value.trim() === '') throw badParam(`${name} is missing`);
    return value;
  }

  /** `undefined` when absent, `null` when explicitly cleared (null or empty string). */
  nullableString(name: string): string | null | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (value === null || value === '') return null;
    return this.string(name);
  }

  list(name: string): string[] | undefined {
    const value = this.raw(name);
    if (value === undefined || value === null) return undefined;
    const items = Array.isArray(value) ? value.map((item) => this.scalar(name, item)) : this.scalar(name, value).split(',');
    return items.map((s) => s.trim()).filter((s) => s !== '');
  }

  int(name: string): number | undefined {
    const value = this.raw(name);
    if (value === undefined || value === null || value === '') return undefined;
    const n = Number(value);
    if (!Number.isInteger(n)) throw badParam(`${name} is invalid`);
    return n;
  }

  intList(name: string): number[] | undefined {
    const items = this.list(name);
    if (items === undefined) return undefined;
    return items.map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n)) throw badParam(`${name} is invalid`);
      return n;
    });
  }

  bool(name: string): boolean | undefined {
    const value = this.raw(name);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    const text = this.scalar(name, value).toLowerCase();
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    throw badParam(`${name} is invalid`);
  }
}
