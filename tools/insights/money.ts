/**
 * Amounts of money as every report of the plan shows them (the cost
 * estimate, the plan diff, the pull-request comment, docs/cost.md):
 * two decimals, thousands separated, the sign before the currency.
 */

/** `$1,234.50`, `-$3.00`; another currency by its code: `EUR 12.00`. */
export function money(n: number, currency = "USD"): string {
    const sign = n < 0 ? "-" : "";
    const abs = Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return `${sign}${currency === "USD" ? "$" : `${currency} `}${abs}`;
}

/** A change of an amount: `+$12.00`, `-$3.00`, `±$0.00`. */
export function signedMoney(n: number, currency = "USD"): string {
    return (n > 0 ? "+" : n === 0 ? "±" : "") + money(n, currency);
}
