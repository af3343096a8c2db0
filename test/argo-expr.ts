/**
 * Argo Rollouts' verdict on one analysis measurement, reached the way Argo Rollouts reaches it, so
 * tests can run the very condition strings a component emits against a real Prometheus answer.
 *
 * Argo Rollouts v1.9.0 (the controller of the pinned chart) evaluates `successCondition` and
 * `failureCondition` with github.com/antonmedv/expr v1.15.5 against `result` and turns the two
 * booleans into a phase: argo-rollouts utils/evaluate/evaluate.go (EvalCondition, EvaluateResult).
 * The Prometheus provider hands it a scalar as a number and a vector or matrix as the list of its
 * sample values: metricproviders/prometheus/prometheus.go (processResponse).
 *
 * No npm package implements expr, so this is a small interpreter of the part of its grammar that
 * analysis conditions use: number and boolean literals, `result`, `len`, `isNaN`, `isInf`,
 * indexing, `!`/`not`, unary `-`, `&&`/`and`, `||`/`or`, comparisons and `in`, parentheses.
 * Precedence is expr's (parser/operator/operator.go); `&&` and `||` short-circuit (compiler.go,
 * OpJumpIfFalse/OpJumpIfTrue); expr type-checks the whole expression before it runs (checker), so a
 * type error is an error even in a branch that would be skipped; a negative index counts from the
 * end and an index out of range is a run-time error (vm/runtime Fetch). Anything else is refused
 * with an error rather than guessed; tests/argo-expr.test.ts runs Argo's own documented examples.
 */

export type ArgoResult = number | readonly number[];
export type AnalysisPhase = "Successful" | "Failed" | "Inconclusive" | "Error";

type Token = { kind: "number"; value: number } | { kind: "name"; value: string } | { kind: "op"; value: string };

type Node =
    | { kind: "number"; value: number }
    | { kind: "bool"; value: boolean }
    | { kind: "name"; name: string }
    | { kind: "call"; name: string; args: Node[] }
    | { kind: "index"; target: Node; index: Node }
    | { kind: "unary"; op: string; operand: Node }
    | { kind: "binary"; op: string; left: Node; right: Node };

type Type = "number" | "bool" | "array";

/** expr's operator table (parser/operator/operator.go at v1.15.5), the operators of the subset. */
const UNARY: Readonly<Record<string, number>> = { "!": 50, not: 50, "-": 90 };
const BINARY: Readonly<Record<string, number>> = {
    "||": 10, or: 10, "&&": 15, and: 15,
    "==": 20, "!=": 20, "<": 20, ">": 20, "<=": 20, ">=": 20, in: 20,
};
const WORD_OPERATORS = new Set(["not", "and", "or", "in"]);

function tokenize(source: string): Token[] {
    const tokens: Token[] = [];
    const pattern = /\s+|(\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?)|([A-Za-z_$][\w$]*)|(&&|\|\||==|!=|<=|>=|[!<>()[\],-])/y;
    let at = 0;
    while (at < source.length) {
        pattern.lastIndex = at;
        const match = pattern.exec(source);
        if (!match) throw new Error(`unexpected character ${JSON.stringify(source[at])} at ${at} in ${JSON.stringify(source)}`);
        at = pattern.lastIndex;
        const [, number, name, op] = match;
        if (number !== undefined) tokens.push({ kind: "number", value: Number(number.replace(/_/g, "")) });
        else if (name !== undefined) tokens.push(WORD_OPERATORS.has(name) ? { kind: "op", value: name } : { kind: "name", value: name });
        else if (op !== undefined) tokens.push({ kind: "op", value: op });
    }
    return tokens;
}

function parse(source: string): Node {
    const tokens = tokenize(source);
    let at = 0;
    const peek = (): Token | undefined => tokens[at];
    const isOp = (t: Token | undefined, value: string) => t?.kind === "op" && t.value === value;
    const expect = (value: string) => {
        if (!isOp(peek(), value)) throw new Error(`expected "${value}" at token ${at} in ${JSON.stringify(source)}`);
        at++;
    };

    // parser.go parseExpression: precedence climbing, left-associative operators bind their right side one level higher.
    const expression = (precedence: number): Node => {
        let left = primary();
        for (let t = peek(); t?.kind === "op" && BINARY[t.value] !== undefined && BINARY[t.value] >= precedence; t = peek()) {
            at++;
            left = { kind: "binary", op: t.value, left, right: expression(BINARY[t.value] + 1) };
        }
        return left;
    };

    // parser.go parsePrimary / parseSecondary / parsePostfixExpression.
    const primary = (): Node => {
        const t = peek();
        if (t === undefined) throw new Error(`unexpected end of ${JSON.stringify(source)}`);
        at++;
        let node: Node;
        if (t.kind === "op" && UNARY[t.value] !== undefined) {
            node = { kind: "unary", op: t.value, operand: expression(UNARY[t.value]) };
        } else if (isOp(t, "(")) {
            node = expression(0);
            expect(")");
        } else if (t.kind === "number") {
            node = { kind: "number", value: t.value };
        } else if (t.kind === "name" && (t.value === "true" || t.value === "false")) {
            node = { kind: "bool", value: t.value === "true" };
        } else if (t.kind === "name" && isOp(peek(), "(")) {
            at++;
            const args: Node[] = [];
            while (!isOp(peek(), ")")) {
                if (args.length > 0) expect(",");
                args.push(expression(0));
            }
            expect(")");
            node = { kind: "call", name: t.value, args };
        } else if (t.kind === "name") {
            node = { kind: "name", name: t.value };
        } else {
            throw new Error(`unexpected token "${t.value}" in ${JSON.stringify(source)}`);
        }
        while (isOp(peek(), "[")) {
            at++;
            node = { kind: "index", target: node, index: expression(0) };
            expect("]");
        }
        return node;
    };

    const tree = expression(0);
    if (at < tokens.length) throw new Error(`unexpected token ${JSON.stringify(tokens[at])} in ${JSON.stringify(source)}`);
    return tree;
}

const typeOfValue = (v: ArgoResult): Type => (typeof v === "number" ? "number" : "array");

/** expr's checker, for the subset: every operand's type, before anything runs. */
function check(node: Node, result: ArgoResult): Type {
    const want = (n: Node, type: Type, what: string): void => {
        const got = check(n, result);
        if (got !== type) throw new Error(`${what}: expected ${type}, got ${got}`);
    };
    switch (node.kind) {
        case "number": return "number";
        case "bool": return "bool";
        case "name":
            if (node.name !== "result") throw new Error(`unknown name ${node.name}`);
            return typeOfValue(result);
        case "call": {
            if (node.args.length !== 1) throw new Error(`${node.name}: expected 1 argument, got ${node.args.length}`);
            if (node.name === "len") return want(node.args[0], "array", "len"), "number";
            if (node.name === "isNaN" || node.name === "isInf") return want(node.args[0], "number", node.name), "bool";
            throw new Error(`unknown function ${node.name} (not in this subset of expr)`);
        }
        case "index": return want(node.target, "array", "index"), want(node.index, "number", "index"), "number";
        case "unary":
            if (node.op === "-") return want(node.operand, "number", "-"), "number";
            return want(node.operand, "bool", node.op), "bool";
        case "binary": {
            if (["&&", "and", "||", "or"].includes(node.op)) return want(node.left, "bool", node.op), want(node.right, "bool", node.op), "bool";
            if (node.op === "in") return want(node.left, "number", "in"), want(node.right, "array", "in"), "bool";
            const left = check(node.left, result);
            if (left === "array") throw new Error(`${node.op} on a list (not in this subset of expr)`);
            if (node.op === "==" || node.op === "!=") return want(node.right, left, `${node.op} (mismatched types)`), "bool";
            return want(node.left, "number", node.op), want(node.right, "number", node.op), "bool";
        }
    }
}

function run(node: Node, result: ArgoResult): number | boolean | readonly number[] {
    const num = (n: Node) => run(n, result) as number;
    const bool = (n: Node) => run(n, result) as boolean;
    switch (node.kind) {
        case "number": return node.value;
        case "bool": return node.value;
        case "name": return result;
        case "call": {
            const arg = run(node.args[0], result);
            if (node.name === "len") return (arg as readonly number[]).length;
            if (node.name === "isNaN") return Number.isNaN(arg);
            return arg === Infinity || arg === -Infinity;
        }
        case "index": {
            const list = run(node.target, result) as readonly number[];
            const raw = num(node.index);
            const i = raw < 0 ? list.length + raw : raw;
            if (!Number.isInteger(i) || i < 0 || i >= list.length) throw new Error(`runtime error: index out of range [${raw}] with length ${list.length}`);
            return list[i];
        }
        case "unary": return node.op === "-" ? -num(node.operand) : !bool(node.operand);
        case "binary":
            switch (node.op) {
                case "&&": case "and": return bool(node.left) && bool(node.right);
                case "||": case "or": return bool(node.left) || bool(node.right);
                case "in": return (run(node.right, result) as readonly number[]).includes(num(node.left));
                case "==": return run(node.left, result) === run(node.right, result);
                case "!=": return run(node.left, result) !== run(node.right, result);
                case "<": return num(node.left) < num(node.right);
                case ">": return num(node.left) > num(node.right);
                case "<=": return num(node.left) <= num(node.right);
                default: return num(node.left) >= num(node.right);
            }
    }
}

/** EvalCondition: the condition's boolean value for this result; throws where Argo reports an error. */
export function evalCondition(result: ArgoResult, condition: string): boolean {
    const tree = parse(condition);
    const type = check(tree, result);
    if (type !== "bool") throw new Error(`expected bool, but got ${type}`);
    return run(tree, result) as boolean;
}

/** EvaluateResult: the measurement's phase from the metric's two conditions. */
export function evaluateResult(result: ArgoResult, metric: { readonly successCondition?: string; readonly failureCondition?: string }): AnalysisPhase {
    const success = metric.successCondition ?? "";
    const failure = metric.failureCondition ?? "";
    let succeeded = false;
    let failed = false;
    try {
        if (success !== "") succeeded = evalCondition(result, success);
        if (failure !== "") failed = evalCondition(result, failure);
    } catch {
        return "Error";
    }
    if (success === "" && failure === "") return "Successful";
    if (failure === "") failed = !succeeded;
    if (success === "") succeeded = !failed;
    if (failed) return "Failed";
    return succeeded ? "Successful" : "Inconclusive";
}

/** A Prometheus sample value as JSON carries it (Go's strconv.ParseFloat accepts "NaN", "+Inf", "-Inf"). */
function sampleValue(text: string): number {
    if (text === "+Inf" || text === "Inf") return Infinity;
    if (text === "-Inf") return -Infinity;
    if (text === "NaN") return Number.NaN;
    const value = Number(text);
    if (text.trim() === "" || Number.isNaN(value)) throw new Error(`not a Prometheus sample value: ${JSON.stringify(text)}`);
    return value;
}

interface QueryData {
    readonly resultType: string;
    readonly result: unknown;
}

/** processResponse: what `result` is for a /api/v1/query answer's `data`. */
export function resultFromPrometheus(data: QueryData): ArgoResult {
    switch (data.resultType) {
        case "scalar": return sampleValue((data.result as [number, string])[1]);
        case "vector": return (data.result as { value: [number, string] }[]).map((s) => sampleValue(s.value[1]));
        case "matrix": return (data.result as { values: [number, string][] }[]).flatMap((s) => s.values.map((v) => sampleValue(v[1])));
        default: throw new Error(`Prometheus metric type not supported: ${data.resultType}`);
    }
}

/** Runs an instant query the way the provider does (now) and returns Argo's `result` for it. */
export async function queryResult(prometheusUrl: string, query: string, timeoutMs = 5_000): Promise<ArgoResult> {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.json() as { status: string; data?: QueryData; error?: string };
    if (body.status !== "success" || body.data === undefined) throw new Error(`Prometheus query failed: ${body.error ?? response.status}`);
    return resultFromPrometheus(body.data);
}
