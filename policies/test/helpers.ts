import * as assert from "assert";
import { evaluate, EvaluateOptions, ResourceRecord, Violation } from "../evaluate";
import { policies } from "../rules";

export function policyNamed(name: string) {
    const p = policies.find((x) => x.name === name);
    if (!p) {
        throw new Error(`no policy ${name}`);
    }
    return p;
}

/** Evaluates only the named policies (all when none named). */
export async function run(records: ResourceRecord[], names?: string[], opts: Partial<EvaluateOptions> = {}): Promise<Violation[]> {
    return evaluate(records, {
        mode: opts.mode ?? "up",
        ...opts,
        config: opts.config ?? {},
        policies: names ? names.map(policyNamed) : opts.policies,
    });
}

export function mandatory(vs: Violation[]): Violation[] {
    return vs.filter((v) => v.enforcementLevel === "mandatory");
}

export function byPolicy(vs: Violation[], name: string): Violation[] {
    return vs.filter((v) => v.policy === name);
}

export function assertTrips(vs: Violation[], policy: string, ...fragments: string[]): Violation {
    const hits = byPolicy(vs, policy).filter((v) => !v.unknown && !v.exemption);
    assert.ok(hits.length > 0, `expected ${policy} to report; got ${JSON.stringify(vs.map((v) => [v.policy, v.message.split("\n").pop()]), null, 1)}`);
    const hit = hits.find((v) => fragments.every((f) => v.message.includes(f)));
    assert.ok(hit, `expected a ${policy} message containing ${JSON.stringify(fragments)}; got ${JSON.stringify(hits.map((v) => v.message))}`);
    return hit;
}

export function assertClean(vs: Violation[], policy?: string): void {
    const hits = vs.filter((v) => (policy === undefined || v.policy === policy) && !v.exemption);
    assert.deepStrictEqual(
        hits.map((v) => `${v.policy}: ${v.message}`),
        [],
        `expected no ${policy ?? ""} violations`,
    );
}

/** An ISO date `days` after today (UTC): exemptions must expire within a bounded window of the evaluation. */
export function inDays(days: number, from: Date = new Date()): string {
    return new Date(from.getTime() + days * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/** The records with the named one's inputs (and property dependencies) overridden. */
export function patch(records: ResourceRecord[], name: string, inputs: Record<string, unknown>, deps?: Record<string, string[]>): ResourceRecord[] {
    let found = false;
    const out = records.map((r) => {
        if (r.name !== name) {
            return r;
        }
        found = true;
        return { ...r, inputs: { ...r.inputs, ...inputs }, propertyDependencies: { ...r.propertyDependencies, ...(deps ?? {}) } };
    });
    assert.ok(found, `no record named ${name}`);
    return out;
}

/** The records without the named ones (each must exist). */
export function without(records: ResourceRecord[], ...names: string[]): ResourceRecord[] {
    const out = records.filter((r) => !names.includes(r.name));
    assert.strictEqual(out.length, records.length - names.length, `not all of ${names} exist`);
    return out;
}
