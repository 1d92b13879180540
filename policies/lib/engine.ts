import * as policy from "@pulumi/policy";

/**
 * The engine's own unknown-value machinery. @pulumi/policy exports these at
 * runtime (index.js) but its published typings strip them (@internal), so
 * they are re-declared here with their real shapes.
 */
export interface UnknownValueErrorLike extends Error {
    props: (string | symbol)[];
}

export const UnknownValueError = (policy as unknown as { UnknownValueError: new (sentinel: string, props: (string | symbol)[]) => UnknownValueErrorLike })
    .UnknownValueError;

export const unknownCheckingProxy = (policy as unknown as { unknownCheckingProxy: <T>(o: T) => T }).unknownCheckingProxy;
