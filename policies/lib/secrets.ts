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
