import type * as SecretlintCore from "@secretlint/core";
import type * as SecretlintRecommended from "@secretlint/secretlint-rule-preset-recommend";

/**
 * secretlint is ESM-only: loaded once through a real dynamic import (TypeScript's CommonJS output would turn
 * `import()` into `require()`, which on Node 20 loads ESM only with an ExperimentalWarning on stderr).
 */
const importEsm = new Function("specifier", "return import(specifier)") as <T>(specifier: string) => Promise<T>;
let secretlint: Promise<[typeof SecretlintCore, typeof SecretlintRecommended]> | undefined;
function loadSecretlint(): Promise<[typeof SecretlintCore, typeof SecretlintRecommended]> {
    secretlint ??= Promise.all([importEsm<typeof SecretlintCore>("@secretlint/core"), importEsm<typeof SecretlintRecommended>("@secretlint/secretlint-rule-preset-recommend")]);
    return secretlint;
}
/** Heuristics for secret-looking environment variables (names and values). */
const SECRET_NAME = /(secret|passw(or)?d|pwd|token|api[_-]?key|private[_-]?key|credential|access[_-]?key)/i;
const SECRET_VALUE = /(AKIA|ASIA)[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|^gh[pousr]_[A-Za-z0-9]{20,}|^xox[abp]-/;

/** A value that points at a secret (an ARN, an SSM parameter path) is a reference, not the secret. */
const REFERENCE = /^(arn:aws[a-z-]*:(secretsmanager|ssm|kms):|\/[A-Za-z0-9_.\/-]+$|\{\{resolve:)/;

export function looksSecret(name: string, value: string): boolean {
    if (REFERENCE.test(value.trim())) {
        return false;
    }
    return SECRET_NAME.test(name) || SECRET_VALUE.test(value);
}

// ---------------------------------------------------------------- secrets by content


/** One string a workload will see, and where it comes from (`containerDefinitions[0].command[2]`). */
export interface SeenString {
    where: string;
    value: string;
}

export interface SecretFinding {
    where: string;
    /** What found it: a secretlint rule id, or "high-entropy". */
    by: string;
    message: string;
}

/**
 * Shannon entropy in bits per character. A random base64 string of useful
 * length scores above 4.5; words, hostnames and paths score far lower.
 * The threshold is detect-secrets' default for base64 strings (Yelp
 * detect-secrets, detect_secrets/plugins/high_entropy_strings.py,
 * Base64HighEntropyString limit 4.5).
 */
export function entropy(s: string): number {
    const counts = new Map<string, number>();
    for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
    let h = 0;
    for (const n of counts.values()) {
        const p = n / s.length;
        h -= p * Math.log2(p);
    }
    return h;
}

const ENTROPY_LIMIT = 4.5;
/** A base64 run long enough to be a key (AWS secret keys are 40 characters); `_`, `-` and `=` end a run, as they separate words and names. */
const TOKEN = /[A-Za-z0-9+/]{20,}={0,2}/g;

/** Tokens that look random: mixed case and digits, high entropy, and not a reference (an ARN, an image digest, a hex hash). */
function highEntropyTokens(value: string): string[] {
    const out: string[] = [];
    for (const m of value.matchAll(TOKEN)) {
        const t = m[0];
        const before = value.slice(Math.max(0, (m.index ?? 0) - 8), m.index ?? 0);
        if (/sha256:$|arn:|@$/.test(before) || /^[0-9a-f]+$/i.test(t)) continue;
        if (!/[a-z]/.test(t) || !/[A-Z]/.test(t) || !/[0-9]/.test(t)) continue;
        if (entropy(t) >= ENTROPY_LIMIT) out.push(t);
    }
    return out;
}

/** A secret shown by its first characters only, so a report does not repeat it. */
export function redact(s: string): string {
    return s.length <= 6 ? "***" : `${s.slice(0, 4)}…(${s.length} characters)`;
}

/**
 * Secrets in the strings a workload will see, found by content: secretlint's
 * recommended rule set (@secretlint/secretlint-rule-preset-recommend: AWS,
 * GCP, Azure, GitHub, Slack, npm, OpenAI and other tokens, private keys,
 * passwords in basic-auth URLs and database connection strings; MIT,
 * https://github.com/secretlint/secretlint), and high-entropy tokens. The
 * strings are linted as one text, one line per string.
 */
export async function secretsIn(strings: readonly SeenString[]): Promise<SecretFinding[]> {
    if (strings.length === 0) return [];
    const lines: string[] = [];
    const starts: number[] = [];
    let offset = 0;
    for (const s of strings) {
        starts.push(offset);
        const line = s.value.replace(/\r?\n/g, " ");
        lines.push(line);
        offset += line.length + 1;
    }
    const [{ lintSource }, { creator: recommendedRules }] = await loadSecretlint();
    const result = await lintSource({
        source: { filePath: "/workload-strings.txt", content: lines.join("\n"), contentType: "text" },
        options: { config: { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: recommendedRules }] } },
    });
    const out: SecretFinding[] = [];
    const seen = new Set<string>();
    for (const m of result.messages) {
        let i = starts.length - 1;
        while (i > 0 && starts[i] > m.range[0]) i--;
        const key = `${i}|${m.ruleId}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ where: strings[i].where, by: m.ruleId, message: m.message.replace(/[A-Za-z0-9+/=_-]{12,}/g, (x) => redact(x)) });
    }
    strings.forEach((s, i) => {
        if (out.some((f) => f.where === s.where)) return;
        const tokens = highEntropyTokens(s.value);
        if (tokens.length > 0 && !seen.has(`${i}|entropy`)) out.push({ where: s.where, by: "high-entropy", message: `a random-looking ${tokens[0].length}-character string (${redact(tokens[0])}, ${entropy(tokens[0]).toFixed(1)} bits per character)` });
    });
    return out;
}
