/**
 * A catalog problem: where it is (a path such as `services[2].consumes[0]`)
 * and what to do about it.
 */
export interface CatalogProblem {
    path: string;
    message: string;
}

import { RunError } from "@pulumi/pulumi/errors";

/**
 * Thrown by the program before any resource is declared when the stack's
 * catalog is invalid. It carries every problem found, not just the first.
 * Tools that run the program (the offline preview) recognise it by `name`
 * and exit with code 2. As a RunError, the Pulumi CLI prints the message
 * without a stack trace.
 */
export class CatalogValidationError extends RunError {
    public readonly problems: CatalogProblem[];

    constructor(problems: CatalogProblem[]) {
        super(formatProblems(problems));
        this.name = "CatalogValidationError";
        this.problems = problems;
    }
}

export function formatProblems(problems: CatalogProblem[]): string {
    const lines = problems.map(p => `  ${p.path}: ${p.message}`);
    const noun = problems.length === 1 ? "problem" : "problems";
    return `the service catalog has ${problems.length} ${noun}; nothing was created:\n${lines.join("\n")}`;
}

export function isCatalogValidationError(err: unknown): err is CatalogValidationError {
    return err instanceof Error && err.name === "CatalogValidationError" && Array.isArray((err as CatalogValidationError).problems);
}
