/**
 * A resource as the offline preview records it, as far as the pack's own
 * analyses read it (structurally: policies/evaluate ResourceRecord, without
 * importing evaluate, which imports every rule).
 */
export interface RecordShape {
    urn: string;
    type: string;
    name: string;
    parent?: string | null;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    propertyDependencies?: Record<string, string[]>;
}
