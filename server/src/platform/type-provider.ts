import type { FastifyTypeProvider } from 'fastify';
import type { Static, TSchema } from 'typebox';

/**
 * Requests are typed from their TypeBox schemas. Responses are checked by the serialiser at run time
 * (and documented in OpenAPI) but not at compile time: use cases return Dates and rows, which the
 * serialiser turns into the schema's strings.
 */
export interface ApiTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
  serializer: unknown;
}
