/**
 * ECS task placement constraints are written in the cluster query language:
 * `attribute:<name> <operator> <value>`, clauses joined by `and` / `or`.
 * This parser accepts that subset (no parentheses), so a typo is caught in
 * the catalog instead of by ECS at deployment time.
 */

export const PLACEMENT_OPERATORS = ["==", "!=", "=~", "!~", "in", "not_in", "exists"] as const;
export type PlacementOperator = (typeof PLACEMENT_OPERATORS)[number];

export interface PlacementClause {
    attribute: string;
    operator: PlacementOperator;
    /** One value, or the list of `in [a, b]`; empty for `exists`. */
    values: string[];
}

export type ParsedPlacement =
    | { ok: true; clauses: PlacementClause[]; /** clauses joined by `or` */ disjunction: boolean }
    | { ok: false; reason: string };

const CLAUSE = /^attribute:([A-Za-z0-9_.:-]+)\s*(==|!=|=~|!~|\bnot_in\b|\bin\b|\bexists\b)\s*(.*)$/;

export function parsePlacement(expression: string): ParsedPlacement {
    const parts = expression.trim().split(/\s+(?:and|or)\s+/);
    const clauses: PlacementClause[] = [];
    for (const part of parts) {
        const m = CLAUSE.exec(part.trim());
        if (!m) {
            return {
                ok: false,
                reason:
                    `${JSON.stringify(part.trim())} is not a placement clause; write ` +
                    `"attribute:<name> <operator> <value>" with one of ${PLACEMENT_OPERATORS.join(" ")} ` +
                    `(e.g. "attribute:ecs.instance-type =~ g5.*")`,
            };
        }
        const [, attribute, operator, rest] = m;
        const op = operator as PlacementOperator;
        const value = rest.trim();
        if (op === "exists") {
            if (value !== "") {
                return { ok: false, reason: `"exists" takes no value in ${JSON.stringify(part.trim())}` };
            }
            clauses.push({ attribute, operator: op, values: [] });
            continue;
        }
        if (op === "in" || op === "not_in") {
            const list = /^\[(.*)\]$/.exec(value);
            if (!list || list[1].trim() === "") {
                return { ok: false, reason: `"${op}" needs a list such as [us-east-1a, us-east-1b] in ${JSON.stringify(part.trim())}` };
            }
            clauses.push({ attribute, operator: op, values: list[1].split(",").map(v => v.trim()) });
            continue;
        }
        if (value === "") {
            return { ok: false, reason: `${JSON.stringify(part.trim())} has no value after ${op}` };
        }
        if (op === "=~" || op === "!~") {
            try {
                new RegExp(`^${value}$`);
            } catch {
                return { ok: false, reason: `${JSON.stringify(value)} is not a valid pattern` };
            }
        }
        clauses.push({ attribute, operator: op, values: [value] });
    }
    return { ok: true, clauses, disjunction: /\s+or\s+/.test(expression) };
}

/**
 * Whether an instance type satisfies every `ecs.instance-type` clause of a
 * conjunction (other attributes are not judged).
 */
export function instanceTypeSatisfies(instanceType: string, clauses: PlacementClause[]): boolean {
    return clauses
        .filter(c => c.attribute === "ecs.instance-type")
        .every(c => {
            switch (c.operator) {
                case "==": return instanceType === c.values[0];
                case "!=": return instanceType !== c.values[0];
                case "=~": return new RegExp(`^${c.values[0]}$`).test(instanceType);
                case "!~": return !new RegExp(`^${c.values[0]}$`).test(instanceType);
                case "in": return c.values.includes(instanceType);
                case "not_in": return !c.values.includes(instanceType);
                default: return true;
            }
        });
}
