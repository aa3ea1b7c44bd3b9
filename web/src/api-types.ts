/**
 * Names for the shapes in web/src/generated/api.d.ts, which is generated from the server's
 * OpenAPI document (`npm run gen:api-types`): the console's types come from the contract, so a
 * route that changes shape without the console following fails the type check.
 */
import type { paths } from './generated/api';

export type ApiPath = keyof paths;

type Json<Content> = Content extends { content: { 'application/json': infer Body } } ? Body : never;
type Operation<P extends ApiPath, M extends string> = M extends keyof paths[P] ? paths[P][M] : never;

/** The body a route answers with on success (200, else 201), as the server declares it. */
export type ResponseOf<P extends ApiPath, M extends string = 'get'> =
  Operation<P, M> extends { responses: infer Responses }
    ? Responses extends { 200: infer Ok }
      ? Json<Ok>
      : Responses extends { 201: infer Created }
        ? Json<Created>
        : never
    : never;

/** The JSON body a route takes. */
export type RequestOf<P extends ApiPath, M extends string> =
  Operation<P, M> extends { requestBody?: infer Body } ? Json<NonNullable<Body>> : never;

/** An element of a list. */
export type Item<List> = List extends ReadonlyArray<infer Element> ? Element : never;

/**
 * A runtime list of a contract enum's values (for a select or a filter), which the compiler
 * checks holds every value of the enum and nothing else: `allOf<Severity>()(['critical', …])`.
 */
export function allOf<Value extends string>() {
  return <const Values extends readonly Value[]>(
    values: Values &
      ([Exclude<Value, Values[number]>] extends [never] ? unknown : { missing: Exclude<Value, Values[number]> }),
  ): Values => values;
}
