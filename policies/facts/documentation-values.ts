/**
 * Values that appear in documentation and can never work in a real account:
 * AWS's example account ids and the IPv4 documentation ranges. Shared by the
 * policy pack's rules and the program's catalog validation, so both refuse
 * the same values. Plain data and functions: no Pulumi, no AWS SDK.
 */

/**
 * Account ids AWS documentation uses in its examples. AWS publishes no
 * reserved list (unlike RFC 5737 for addresses); each id below is one AWS's
 * own pages use as an example, which is why a stack must not carry it:
 *
 * - 123456789012: the id of most AWS examples (IAM User Guide policy examples,
 *   the AWS CLI reference, "Amazon Resource Names (ARNs)" in the AWS General Reference);
 * - 111122223333 and 444455556666: the IAM User Guide's cross-account examples
 *   and the Amazon EKS User Guide's "Create access entries"
 *   (arn:aws:iam::111122223333:role/my-role);
 * - 012345678901: the AWS Account Management Reference Guide, "View AWS
 *   account identifiers" ("A 12-digit number, such as 012345678901");
 * - 210987654321, 987654321098, 555555555555, 777788889999, 999999999999:
 *   second and third accounts in AWS examples (Organizations, RAM, Route 53
 *   Application Recovery Controller cross-account examples).
 *
 * Some of these may be real accounts of someone; none is yours, which is what
 * matters for a shipped stack.
 */
export const DOCUMENTATION_ACCOUNT_IDS: readonly string[] = [
    "123456789012",
    "111122223333",
    "444455556666",
    "012345678901",
    "210987654321",
    "987654321098",
    "555555555555",
    "777788889999",
    "999999999999",
];

/**
 * RFC 5737, "IPv4 Address Blocks Reserved for Documentation": TEST-NET-1,
 * TEST-NET-2 and TEST-NET-3 "are not to be used" on the network; no machine
 * that runs `pulumi up` has an address in them.
 */
export const DOCUMENTATION_CIDRS: readonly string[] = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"];

export function isDocumentationAccount(account: string): boolean {
    return DOCUMENTATION_ACCOUNT_IDS.includes(account);
}

/** An IPv4 CIDR as [first address, last address] (32-bit unsigned), or undefined if it is not one. */
export function ipv4Range(cidr: string): [number, number] | undefined {
    const m = /^\s*(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?\s*$/.exec(cidr);
    if (!m) {
        return undefined;
    }
    const octets = m.slice(1, 5).map(Number);
    const prefix = m[5] === undefined ? 32 : Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) {
        return undefined;
    }
    const ip = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    const size = 2 ** (32 - prefix);
    const first = Math.floor(ip / size) * size;
    return [first, first + size - 1];
}

/**
 * The documentation range a CIDR overlaps (inside it, or containing it but
 * not the whole internet, which callers judge on its own), or undefined.
 */
export function documentationRangeOf(cidr: string): string | undefined {
    const r = ipv4Range(cidr);
    if (!r || r[1] - r[0] === 0xffffffff) {
        return undefined;
    }
    return DOCUMENTATION_CIDRS.find((d) => {
        const [lo, hi] = ipv4Range(d)!;
        return r[0] <= hi && lo <= r[1];
    });
}

/** IAM principal ARNs of roles and users, and account roots: arn:<partition>:iam::<12 digits>:root|role/...|user/... */
export const IAM_PRINCIPAL_ARN = /^arn:aws(-[a-z]+)*:iam::(\d{12}):(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/;

/**
 * Why a principal given in configuration cannot exist in a real account, or
 * undefined. Only the documentation-id test: callers check the ARN's shape
 * with their own wording.
 */
export function documentationPrincipal(arn: string): string | undefined {
    const m = /^arn:[^:]*:(?:iam|sts)::(\d{12}):/.exec(arn);
    const account = m ? m[1] : /^\d{12}$/.test(arn) ? arn : undefined;
    if (account !== undefined && isDocumentationAccount(account)) {
        return `account ${account} is an AWS documentation example id, not an account you own`;
    }
    return undefined;
}
