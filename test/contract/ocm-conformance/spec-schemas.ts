/**
 * Compiles the schemas of one OCM OpenAPI file (Swagger 2.0 `definitions` or OpenAPI 3
 * `components.schemas`) with ajv, after the documented repairs below. Each repair names the defect.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readOcmSpec } from './shared-reference.ts';

type Schema = Record<string, unknown>;

export const SPEC_FILES = {
  v1_0: 'spec-v1.0.0.yaml',
  v1_1: 'spec-v1.1.0.yaml',
  pre1_2: 'spec-pr158-merge-2024-10-24-pre-v1.2.0.yaml',
  v1_2_2plus: 'spec-develop-64909db-1.2.2plus-ssh.yaml',
} as const;

function at(value: unknown, ...path: string[]): Schema {
  let node = value;
  for (const key of path) node = (node as Schema | undefined)?.[key];
  if (typeof node !== 'object' || node === null) throw new Error(`spec has no ${path.join('.')}`);
  return node as Schema;
}

/** Raw definitions of a spec file, with OpenAPI 3 refs rewritten to `#/definitions/…` and the 201 body of /shares added as `ShareCreated`. */
export function specDefinitions(file: string): Record<string, Schema> {
  const spec = readOcmSpec(file);
  const oas3 = 'openapi' in spec;
  const text = JSON.stringify(oas3 ? at(spec, 'components', 'schemas') : at(spec, 'definitions'));
  const definitions = JSON.parse(
    text.replaceAll('#/components/schemas/', '#/definitions/'),
  ) as Record<string, Schema>;
  const created = at(spec, 'paths', '/shares', 'post', 'responses', '201');
  definitions.ShareCreated = oas3
    ? at(created, 'content', 'application/json', 'schema')
    : at(created, 'schema');
  return definitions;
}

/** Removes names from a schema's `required` list. */
export function unrequire(schema: Schema, names: readonly string[]): void {
  schema.required = (schema.required as string[]).filter((n) => !names.includes(n));
}

/**
 * v1.1 and pre-1.2 declare `protocol` as `additionalProperties: {type: object, required: [name], …}`:
 * every member, `name` included, would have to be an object, so the spec's own examples fail. The
 * evident intent is that the nested schema describes the protocol object itself.
 */
export function repairProtocolSchema(newShare: Schema): void {
  const protocol = at(newShare, 'properties', 'protocol');
  const intended = at(protocol, 'additionalProperties');
  protocol.required = intended.required;
  protocol.properties = intended.properties;
  delete protocol.additionalProperties;
}

export class SpecValidator {
  readonly definitions: Record<string, Schema>;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv: Ajv;
  private readonly id: string;

  constructor(file: string, definitions: Record<string, Schema>) {
    this.definitions = definitions;
    this.id = `ocm:${file}`;
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(this.ajv);
    // OCM "FQDN" fields carry `host[:port]` like the host part of an OCM Address.
    this.ajv.addFormat(
      'fqdn',
      /^(?=.{1,253}(?::\d{1,5})?$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i,
    );
    this.ajv.addSchema({ $id: this.id, definitions }, this.id);
  }

  /** ajv error texts; empty when `value` is valid against definition `name`. */
  errors(name: string, value: unknown): string[] {
    let validate = this.validators.get(name);
    if (validate === undefined) {
      validate = this.ajv.compile({ $ref: `${this.id}#/definitions/${name}` });
      this.validators.set(name, validate);
    }
    return validate(value)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  }
}
