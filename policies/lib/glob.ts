const cache = new Map<string, RegExp>();

/**
 * Glob-style match over a whole string (typically a URN): `*` matches any run
 * of characters (including `:` and `$`), `?` exactly one; everything else is
 * literal. Case-sensitive, like URNs.
 */
export function globToRegExp(pattern: string): RegExp {
    let re = cache.get(pattern);
    if (!re) {
        let src = "";
        for (const ch of pattern) {
            if (ch === "*") {
                src += "[\\s\\S]*";
            } else if (ch === "?") {
                src += "[\\s\\S]";
            } else {
                src += ch.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
            }
        }
        re = new RegExp(`^${src}$`);
        cache.set(pattern, re);
    }
    return re;
}

export function globMatch(pattern: string, value: string): boolean {
    return globToRegExp(pattern).test(value);
}

/** Case-insensitive glob for IAM action names (`iam:*`, `s3:Get*`). */
const actionCache = new Map<string, RegExp>();
export function actionMatches(pattern: string, action: string): boolean {
    let re = actionCache.get(pattern);
    if (!re) {
        const src = pattern
            .split("")
            .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")))
            .join("");
        re = new RegExp(`^${src}$`, "i");
        actionCache.set(pattern, re);
    }
    return re.test(action);
}
