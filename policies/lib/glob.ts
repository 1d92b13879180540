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

/**
 * Whether two glob patterns (`*` any run, `?` one character, everything else
 * literal) can match one same string: the intersection of what they match is
 * not empty. Case-insensitive when `ignoreCase` (IAM resource ARNs are matched
 * as written, but an IAM name is unique whatever its case). A walk over pairs
 * of positions, O(|a|·|b|).
 */
export function globsIntersect(a: string, b: string, ignoreCase = true): boolean {
    const x = ignoreCase ? a.toLowerCase() : a;
    const y = ignoreCase ? b.toLowerCase() : b;
    const seen = new Set<number>();
    const width = y.length + 1;
    const stack: [number, number][] = [[0, 0]];
    while (stack.length > 0) {
        const [i, j] = stack.pop()!;
        const key = i * width + j;
        if (seen.has(key)) continue;
        seen.add(key);
        if (i === x.length && j === y.length) return true;
        const ci = x[i];
        const cj = y[j];
        // A star may match nothing.
        if (ci === "*") stack.push([i + 1, j]);
        if (cj === "*") stack.push([i, j + 1]);
        if (i < x.length && j < y.length) {
            if (ci === "*" && cj === "*") {
                stack.push([i + 1, j + 1]);
            } else if (ci === "*") {
                // x's star takes the character y's next position produces.
                stack.push([i, j + 1]);
            } else if (cj === "*") {
                stack.push([i + 1, j]);
            } else if (ci === "?" || cj === "?" || ci === cj) {
                stack.push([i + 1, j + 1]);
            }
        }
    }
    return false;
}

/** Whether a pattern holds a wildcard (`*` or `?`). */
export function hasWildcard(pattern: string): boolean {
    return /[*?]/.test(pattern);
}
