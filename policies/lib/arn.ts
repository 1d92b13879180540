/** The 12-digit account of an IAM principal ARN or a bare account id; undefined otherwise. */
export function accountOf(principal: string): string | undefined {
    if (/^\d{12}$/.test(principal)) {
        return principal;
    }
    const m = /^arn:aws[a-z-]*:(iam|sts)::(\d{12}):/.exec(principal);
    return m ? m[2] : undefined;
}

export function isServicePrincipal(p: string): boolean {
    return /\.amazonaws\.com(\.cn)?$/.test(p) || /\.amazon\.com$/.test(p);
}
