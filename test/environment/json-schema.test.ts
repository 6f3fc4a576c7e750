import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { environmentJsonSchemaText } from '../../constructs/environment/json-schema';
import { PROJECT } from '../support/cli';
import { SHIPPED_ENVIRONMENTS } from '../support/shipped';

describe('the JSON Schema editors use for environment files', () => {
  it('is generated from the zod schema and committed up to date (npm run schema)', () => {
    const committed = readFileSync(path.join(PROJECT, 'environments', 'environment.schema.json'), 'utf8');
    expect(committed).toBe(environmentJsonSchemaText());
  });

  it('requires only what every file states, so a country writes only what differs', () => {
    const schema = JSON.parse(environmentJsonSchemaText());
    expect(schema.required).toEqual(['country', 'stage', 'profile']);
    expect(schema.properties.cluster.required).toBeUndefined();
    expect(schema.properties.cluster.additionalProperties).toBe(false);
  });

  it('is referenced from every shipped environment file', () => {
    for (const name of SHIPPED_ENVIRONMENTS) {
      const text = readFileSync(path.join(PROJECT, 'environments', name, 'environment.yaml'), 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../environment.schema.json');
    }
  });
});
