import { expect } from "chai";
import { evalCondition, evaluateResult, resultFromPrometheus } from "./argo-expr";

/**
 * The interpreter against Argo Rollouts' own documented and tested examples, at v1.9.0:
 * docs/features/analysis.md "Handling Metric Results" (NaN and Infinity, Empty array / Prometheus),
 * metricproviders/prometheus/prometheus_test.go and utils/evaluate/evaluate_test.go.
 */
describe("Argo Rollouts condition evaluation (expr subset)", () => {
    describe("docs/features/analysis.md, Handling Metric Results", () => {
        it("NaN is Successful under `isNaN(result) || result >= 0.95`", () => {
            expect(evaluateResult(Number.NaN, { successCondition: "isNaN(result) || result >= 0.95" })).to.equal("Successful");
        });

        it("NaN is Inconclusive under `result >= 0.95` / `result < 0.95`", () => {
            expect(evaluateResult(Number.NaN, { successCondition: "result >= 0.95", failureCondition: "result < 0.95" })).to.equal("Inconclusive");
        });

        it("NaN is Failed under `result >= 0.95` alone", () => {
            expect(evaluateResult(Number.NaN, { successCondition: "result >= 0.95" })).to.equal("Failed");
        });

        it("+Inf is Successful under `result >= 0.95` and Failed under the failure condition `isInf(result)`", () => {
            expect(evaluateResult(Infinity, { successCondition: "result >= 0.95" })).to.equal("Successful");
            expect(evaluateResult(Infinity, { failureCondition: "isInf(result)" })).to.equal("Failed");
        });

        it("an empty Prometheus result is Successful under `len(result) == 0 || result[0] >= 0.95`", () => {
            expect(evaluateResult([], { successCondition: "len(result) == 0 || result[0] >= 0.95" })).to.equal("Successful");
        });

        it("an empty Prometheus result is Failed under `len(result) > 0 && result[0] >= 0.95`", () => {
            expect(evaluateResult([], { successCondition: "len(result) > 0 && result[0] >= 0.95" })).to.equal("Failed");
        });
    });

    describe("metricproviders/prometheus/prometheus_test.go", () => {
        it("TestProcessScalarResponse: scalar 10 is Successful under `result == 10` / `result != 10`", () => {
            expect(evaluateResult(10, { successCondition: "result == 10", failureCondition: "result != 10" })).to.equal("Successful");
        });

        it("TestProcessVectorResponse: vector [10, 11] is Successful under `10 in result` / `len(result) != 2`", () => {
            expect(evaluateResult([10, 11], { successCondition: "10 in result", failureCondition: "len(result) != 2" })).to.equal("Successful");
        });

        it("TestProcessNaNResponse: NaN is Successful under `result >= 0.9 || isNaN(result)`", () => {
            expect(evaluateResult(Number.NaN, { successCondition: "result >= 0.9 || isNaN(result)" })).to.equal("Successful");
        });

        it("TestRunSuccessfulWithOAuth: a one-sample vector [10] is Successful under `result[0] == 10` / `result[0] != 10`", () => {
            expect(evaluateResult([10], { successCondition: "result[0] == 10", failureCondition: "result[0] != 10" })).to.equal("Successful");
        });
    });

    describe("utils/evaluate/evaluate_test.go", () => {
        it("TestEvaluateResult*: the phase from two constant conditions, and Successful with none", () => {
            const phase = (successCondition: string, failureCondition: string) => evaluateResult(1, { successCondition, failureCondition });
            expect(phase("true", "false")).to.equal("Successful");
            expect(phase("true", "true")).to.equal("Failed");
            expect(phase("false", "false")).to.equal("Inconclusive");
            expect(phase("", "false")).to.equal("Successful");
            expect(phase("false", "")).to.equal("Failed");
            expect(phase("", "")).to.equal("Successful");
        });

        it("TestEvaluateResultWithErrorOn{Success,Failure}Condition: an unknown name is an Error, whichever condition holds it", () => {
            expect(evaluateResult(1, { successCondition: "a == true", failureCondition: "true" })).to.equal("Error");
            expect(evaluateResult(1, { successCondition: "true", failureCondition: "a == true" })).to.equal("Error");
        });

        it("TestErrorWithNonBoolReturn / TestErrorWithInvalidReference: a number is not a condition, an unknown name is refused", () => {
            expect(() => evalCondition(1, "1")).to.throw("expected bool");
            expect(() => evalCondition(1, "invalidVariable")).to.throw("unknown name invalidVariable");
        });

        it("TestEvaluateInOperator / TestEvaluateFloat64", () => {
            expect(evalCondition([2, 2], "2 in result")).to.equal(true);
            expect(evalCondition(5, "result > 1")).to.equal(true);
        });
    });

    describe("expr's own rules the conditions rely on (expr v1.15.5)", () => {
        it("`&&` short-circuits: a guarded index of an empty result is false, the unguarded one is a run-time error", () => {
            expect(evalCondition([], "len(result) > 0 && result[0] > 1")).to.equal(false);
            expect(() => evalCondition([], "result[0] > 1")).to.throw("index out of range [0] with length 0");
            expect(evaluateResult([], { successCondition: "result[0] <= 0.01" })).to.equal("Error");
        });

        it("`||` short-circuits too", () => {
            expect(evalCondition([], "len(result) == 0 || result[0] > 1")).to.equal(true);
        });

        it("checks types before running, so a type error in a skipped branch is still an error", () => {
            expect(() => evalCondition([], "len(result) > 0 && isNaN(result)")).to.throw("isNaN: expected number, got array");
            expect(() => evalCondition(0.5, "result[0] > 0")).to.throw("index: expected array, got number");
        });

        it("binds `!` tighter than comparison and `&&` tighter than `||` (parser/operator/operator.go)", () => {
            expect(evalCondition([Number.NaN], "!isNaN(result[0]) && result[0] > 0")).to.equal(false);
            expect(evalCondition([0.5], "!isNaN(result[0]) && result[0] > 0")).to.equal(true);
            expect(evalCondition(1, "true || false && false")).to.equal(true);
            expect(evalCondition(1, "(true || false) && false")).to.equal(false);
            expect(evalCondition(1, "not false and 2 >= 2")).to.equal(true);
        });

        it("counts a negative index from the end", () => {
            expect(evalCondition([1, 2, 3], "result[-1] == 3")).to.equal(true);
        });

        it("compares NaN false every way, as Go does", () => {
            for (const op of ["<", "<=", ">", ">=", "=="]) expect(evalCondition([Number.NaN], `result[0] ${op} 0.01`), op).to.equal(false);
            expect(evalCondition([Number.NaN], "result[0] != 0.01")).to.equal(true);
        });

        it("refuses what this subset does not implement instead of guessing", () => {
            expect(() => evalCondition([1], "all(result, # > 0)")).to.throw();
            expect(() => evalCondition([1], "result[0] - 1 > 0")).to.throw();
        });
    });

    describe("the Prometheus provider's result (processResponse)", () => {
        it("a scalar is its value; a vector is the list of its samples' values, NaN and infinities parsed as Go does", () => {
            expect(resultFromPrometheus({ resultType: "scalar", result: [1700000000, "0.25"] })).to.equal(0.25);
            const vector = resultFromPrometheus({ resultType: "vector", result: [
                { metric: {}, value: [1700000000, "0.001"] }, { metric: { a: "b" }, value: [1700000000, "NaN"] },
                { metric: {}, value: [1700000000, "+Inf"] }, { metric: {}, value: [1700000000, "-Inf"] },
            ] }) as number[];
            expect(vector).to.have.length(4);
            expect(vector[0]).to.equal(0.001);
            expect(vector[1]).to.be.NaN;
            expect(vector.slice(2)).to.deep.equal([Infinity, -Infinity]);
            expect(resultFromPrometheus({ resultType: "vector", result: [] })).to.deep.equal([]);
        });

        it("a matrix is every sample of every series, in order", () => {
            expect(resultFromPrometheus({ resultType: "matrix", result: [
                { metric: {}, values: [[1, "1"], [2, "2"]] }, { metric: {}, values: [[1, "3"]] },
            ] })).to.deep.equal([1, 2, 3]);
        });

        it("anything else is not supported", () => {
            expect(() => resultFromPrometheus({ resultType: "string", result: [1, "x"] })).to.throw("not supported");
        });
    });
});
